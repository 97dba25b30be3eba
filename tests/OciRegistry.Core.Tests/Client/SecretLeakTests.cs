using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using OciRegistry.Core.Client;
using OciRegistry.Core.References;
using OciRegistry.Core.Tests.Support;

namespace OciRegistry.Core.Tests.Client;

/// <summary>
/// DESIGN.md: secrets never appear in output, errors, verbose or debug text. Every exception message and every trace
/// event of a conversation full of secrets is searched for them.
/// </summary>
public sealed class SecretLeakTests
{
    private const string Password = "hunter2-Pa55";
    private const string Token = "tok-SECRET-7d1f";
    private const string Signature = "SIG-SECRET-93ab";

    private static readonly Reference App = Reference.Parse(TestClient.Registry + "/team/app:1.0");
    private static readonly string BasicValue = Convert.ToBase64String(Encoding.UTF8.GetBytes("user:" + Password));

    private readonly ConcurrentQueue<HttpTraceEvent> _events = new();

    [Fact]
    public async Task GetManifestAsync_RedirectToSignedUrlThatFails_KeepsTheSignatureOutOfErrorsAndTrace()
    {
        var stub = new StubHandler(request => request.RequestUri!.Host == "cdn.example"
            ? Responses.Status(500, "internal error")
            : Responses.Redirect($"https://cdn.example/x?sig={Signature}&scope=repo"));
        using var client = Create(stub, o => o.Retry = new RetryOptions { MaxRetries = 2 });

        var e = await Assert.ThrowsAsync<RegistryResponseException>(() => client.GetManifestAsync(App));

        Assert.Equal(500, e.StatusCode);
        Assert.Equal("https://cdn.example/x?sig=REDACTED&scope=repo", e.Url);
        AssertNoSecret(e);
        Assert.Contains(_events, ev => ev.Kind == HttpTraceKind.Redirect);
        Assert.Contains(_events, ev => ev.Kind == HttpTraceKind.Retry);
        AssertTraceClean();
    }

    [Theory]
    [InlineData(401)]
    [InlineData(500)]
    [InlineData(404)]
    public async Task GetManifestAsync_TokenRealmWithSecretQueryFails_KeepsItOutOfErrorsAndTrace(int status)
    {
        var stub = new StubHandler(request => request.RequestUri!.Host == "auth.example"
            ? Responses.Status(status, "no")
            : Responses.Challenge($"Bearer realm=\"https://auth.example/token?secret={Signature}\",service=\"s\""));
        using var client = Create(stub, o =>
        {
            o.Credential = RegistryCredential.FromPassword("user", Password);
            o.Retry = new RetryOptions { MaxRetries = 1 };
        });

        var e = await Assert.ThrowsAnyAsync<RegistryResponseException>(() => client.GetManifestAsync(App));

        Assert.Equal(status, e.StatusCode);
        Assert.Contains("secret=REDACTED", e.Url, StringComparison.Ordinal);
        AssertNoSecret(e);
        AssertTraceClean();
    }

    [Fact]
    public async Task GetManifestAsync_FullConversation_TraceHoldsNoTokenOrPassword()
    {
        var failures = 0;
        var stub = new StubHandler(request =>
        {
            if (request.RequestUri!.Host == "auth.example")
            {
                return Responses.Json($$"""{"token":"{{Token}}","expires_in":300}""");
            }

            if (request.RequestUri.Host == "cdn.example")
            {
                return Manifests.Response(Manifests.Oci());
            }

            if (request.Headers.Authorization?.Parameter != Token)
            {
                return Responses.Challenge("Bearer realm=\"https://auth.example/token\",service=\"s\"");
            }

            return failures++ == 0 ? Responses.Status(503) : Responses.Redirect($"https://cdn.example/m?sig={Signature}");
        });
        using var client = Create(stub, o => o.Credential = RegistryCredential.FromPassword("user", Password));

        await client.GetManifestAsync(App);
        await client.GetManifestAsync(App);

        Assert.Contains(_events, e => e.Kind == HttpTraceKind.Token);
        Assert.Contains(_events, e => e.Kind == HttpTraceKind.Retry);
        Assert.Contains(_events, e => e.Kind == HttpTraceKind.Redirect);
        Assert.Contains(_events, e => e.Detail?.Contains("Authorization: Bearer", StringComparison.Ordinal) == true);
        AssertTraceClean();
    }

    [Fact]
    public async Task GetManifestAsync_BasicCredentialRefused_KeepsThePasswordOutOfErrorsAndTrace()
    {
        var stub = new StubHandler(_ => Responses.Challenge("Basic realm=\"r\"", "denied"));
        using var client = Create(stub, o => o.Credential = RegistryCredential.FromPassword("user", Password));

        var e = await Assert.ThrowsAsync<RegistryAuthenticationException>(() => client.GetManifestAsync(App));

        AssertNoSecret(e);
        AssertTraceClean();
    }

    [Fact]
    public async Task GetManifestAsync_IdentityTokenRefused_KeepsItOutOfErrorsAndTrace()
    {
        var stub = new StubHandler(request => request.RequestUri!.Host == "auth.example"
            ? Responses.Status(401, "bad refresh token")
            : Responses.Challenge("Bearer realm=\"https://auth.example/token\""));
        using var client = Create(stub, o => o.Credential = RegistryCredential.FromIdentityToken(Token));

        var e = await Assert.ThrowsAsync<RegistryAuthenticationException>(() => client.GetManifestAsync(App));

        AssertNoSecret(e);
        AssertTraceClean();
    }

    [Fact]
    public void ToString_Credential_HidesTheSecret()
    {
        Assert.DoesNotContain(Password, RegistryCredential.FromPassword("user", Password).ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Token, RegistryCredential.FromIdentityToken(Token).ToString(), StringComparison.Ordinal);
    }

    private RegistryClient Create(StubHandler stub, Action<ClientOptions> configure) =>
        TestClient.Create(stub, configure: o =>
        {
            o.Trace = _events.Enqueue;
            configure(o);
        });

    private static void AssertNoSecret(Exception e)
    {
        for (var current = e; current is not null; current = current.InnerException)
        {
            AssertClean(current.Message);
            AssertClean(current.ToString());
        }
    }

    private void AssertTraceClean()
    {
        Assert.NotEmpty(_events);
        foreach (var e in _events)
        {
            AssertClean(e.ToString());
            AssertClean(e.Url);
            AssertClean(e.Detail ?? string.Empty);
        }
    }

    private static void AssertClean(string text)
    {
        foreach (var secret in new[] { Password, Token, Signature, BasicValue })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }
}
