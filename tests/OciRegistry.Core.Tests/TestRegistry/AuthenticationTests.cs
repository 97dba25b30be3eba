using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using OciRegistry.Core.Client;
using OciRegistry.TestRegistry;
using OciRegistry.Core.Tests.Support;

namespace OciRegistry.Core.Tests.TestRegistry;

/// <summary>The three auth modes over real HTTP: challenges, the token endpoint (GET and OAuth2 POST), scopes and expiry.</summary>
public sealed class AuthenticationTests
{
    private static readonly NetworkCredential Account = new("tester", "p@ss word");

    [Fact]
    public async Task Basic_WithoutOrWithWrongCredentials_Answers401WithABasicChallenge()
    {
        await using var registry = await RegistryUnderTest.StartAsync(Basic());

        foreach (var authorization in new[] { null, BasicHeader("tester", "wrong"), BasicHeader("other", Account.Password), "Basic !!notbase64", "Bearer x" })
        {
            foreach (var path in new[] { "/v2/", registry.ManifestPath })
            {
                using var response = await SendAsync(registry, path, authorization);

                await RegistryAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
                var challenge = Assert.Single(WwwAuthenticateParser.Parse(response.Headers.WwwAuthenticate.Select(h => h.ToString())));
                Assert.True(challenge.Is("Basic"));
                Assert.False(string.IsNullOrEmpty(challenge.Realm));
            }
        }
    }

    [Fact]
    public async Task Basic_RightCredentials_AreServed()
    {
        await using var registry = await RegistryUnderTest.StartAsync(Basic());

        using var response = await SendAsync(registry, registry.ManifestPath, BasicHeader(Account.UserName, Account.Password));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(registry.Manifest, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Basic_AnonymousPullAllowed_ServesWithoutCredentialsButStillRefusesWrongOnes()
    {
        var options = Basic();
        options.AllowAnonymousPull = true;
        await using var registry = await RegistryUnderTest.StartAsync(options);

        using var anonymous = await SendAsync(registry, registry.ManifestPath, null);
        using var wrong = await SendAsync(registry, registry.ManifestPath, BasicHeader("tester", "wrong"));

        Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
    }

    [Fact]
    public async Task Bearer_WithoutToken_Answers401WithRealmServiceAndScope()
    {
        await using var registry = await RegistryUnderTest.StartAsync(Bearer());
        var host = registry.Server.Host;

        using var root = await SendAsync(registry, "/v2/", null);
        using var manifest = await SendAsync(registry, registry.ManifestPath, null);

        await RegistryAssert.ErrorAsync(root, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        Assert.Equal($"Bearer realm=\"http://{host}/token\",service=\"{host}\"", root.Headers.WwwAuthenticate.Single().ToString());
        Assert.Equal($"Bearer realm=\"http://{host}/token\",service=\"{host}\",scope=\"repository:{RegistryUnderTest.Repository}:pull\"", manifest.Headers.WwwAuthenticate.Single().ToString());
        Assert.Equal(new Uri($"http://{host}/token"), registry.Server.TokenUrl);
        Assert.Equal(TestRegistryAuthMode.Bearer, registry.Server.Authentication);
    }

    [Fact]
    public async Task Bearer_TokenFromGetWithBasic_PullsTheScopedRepositoryOnly()
    {
        await using var registry = await RegistryUnderTest.StartAsync(Bearer());
        registry.Server.Content.AddBlob("other/repo", [1, 2, 3]);

        var body = await TokenGetAsync(registry, BasicHeader(Account.UserName, Account.Password), $"repository:{RegistryUnderTest.Repository}:pull", "repository:other/repo:push");
        var token = body.GetProperty("token").GetString()!;

        Assert.Equal(token, body.GetProperty("access_token").GetString());
        Assert.Equal(300, body.GetProperty("expires_in").GetInt32());
        Assert.True(DateTimeOffset.TryParse(body.GetProperty("issued_at").GetString(), out _));
        using (var allowed = await SendAsync(registry, registry.ManifestPath, "Bearer " + token))
        using (var root = await SendAsync(registry, "/v2/", "Bearer " + token))
        {
            Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (allowed.StatusCode, root.StatusCode));
        }

        // Push was asked for, not pull: the token is good, the scope is not (RFC 6750 §3.1).
        using var denied = await SendAsync(registry, "/v2/other/repo/tags/list", "Bearer " + token);
        await RegistryAssert.ErrorAsync(denied, HttpStatusCode.Forbidden, "DENIED");
        var challenge = WwwAuthenticateParser.Parse(denied.Headers.WwwAuthenticate.Single().ToString()).Single();
        Assert.Equal(("repository:other/repo:pull", "insufficient_scope"), (challenge.Scope, challenge.Parameters["error"]));
    }

    [Theory]
    [InlineData(false, null)]
    [InlineData(true, "tester:wrong")]
    [InlineData(true, "nobody:p@ss word")]
    public async Task Bearer_TokenEndpointRefusingTheCaller_Answers401WithABasicChallenge(bool allowAnonymous, string? credentials)
    {
        var options = Bearer();
        options.AllowAnonymousPull = allowAnonymous;
        await using var registry = await RegistryUnderTest.StartAsync(options);
        var authorization = credentials is null ? null : "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials));

        using var response = await SendAsync(registry, $"/token?service={registry.Server.Host}&scope=repository:{RegistryUnderTest.Repository}:pull", authorization);

        await RegistryAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        Assert.Equal("Basic", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Theory]
    [InlineData("repository::pull")]
    [InlineData("repository:Faults/Test:pull")]
    [InlineData("repository:faults/test:pul")]
    [InlineData("repository:faults/test")]
    [InlineData("registry:catalog:*")]
    [InlineData("::::")]
    [InlineData("%zz%")]
    [InlineData("")]
    public async Task Bearer_HostileOrForeignScope_GrantsATokenWithoutThatPull(string scope)
    {
        await using var registry = await RegistryUnderTest.StartAsync(Bearer());

        var token = (await TokenGetAsync(registry, BasicHeader(Account.UserName, Account.Password), scope)).GetProperty("token").GetString();
        using var response = await SendAsync(registry, registry.ManifestPath, "Bearer " + token);

        await RegistryAssert.ErrorAsync(response, HttpStatusCode.Forbidden, "DENIED");
    }

    [Fact]
    public async Task Bearer_AnonymousPullAllowed_HandsOutPullTokensWithoutCredentials()
    {
        await using var registry = await RegistryUnderTest.StartAsync(new TestRegistryOptions { Authentication = TestRegistryAuthMode.Bearer, AllowAnonymousPull = true });

        var token = (await TokenGetAsync(registry, null, $"repository:{RegistryUnderTest.Repository}:pull")).GetProperty("token").GetString();
        using var response = await SendAsync(registry, registry.BlobPath, "Bearer " + token);

        Assert.Equal(registry.Blob, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Bearer_PostPasswordGrant_ReturnsAccessAndRefreshTokens_AndTheRefreshGrantWorks()
    {
        await using var registry = await RegistryUnderTest.StartAsync(Bearer());
        var scope = $"repository:{RegistryUnderTest.Repository}:pull repository:other:pull,push";

        var (status, body) = await TokenPostAsync(registry, ("grant_type", "password"), ("username", Account.UserName), ("password", Account.Password), ("service", registry.Server.Host), ("scope", scope), ("client_id", "tests"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.Equal($"repository:{RegistryUnderTest.Repository}:pull repository:other:pull,push", body.GetProperty("scope").GetString());
        var refresh = body.GetProperty("refresh_token").GetString()!;
        using (var pulled = await SendAsync(registry, registry.ManifestPath, "Bearer " + body.GetProperty("access_token").GetString()))
        {
            Assert.Equal(HttpStatusCode.OK, pulled.StatusCode);
        }

        var (refreshed, again) = await TokenPostAsync(registry, ("grant_type", "refresh_token"), ("refresh_token", refresh), ("scope", $"repository:{RegistryUnderTest.Repository}:pull"));
        Assert.Equal(HttpStatusCode.OK, refreshed);
        Assert.False(again.TryGetProperty("refresh_token", out _));
        using var pulledAgain = await SendAsync(registry, registry.ManifestPath, "Bearer " + again.GetProperty("access_token").GetString());
        Assert.Equal(HttpStatusCode.OK, pulledAgain.StatusCode);
    }

    public static TheoryData<string[], HttpStatusCode, string> BadGrants => new()
    {
        { ["grant_type", "password", "username", "tester", "password", "wrong"], HttpStatusCode.Unauthorized, "invalid_grant" },
        { ["grant_type", "refresh_token", "refresh_token", "made-up"], HttpStatusCode.Unauthorized, "invalid_grant" },
        { ["grant_type", "client_credentials"], HttpStatusCode.BadRequest, "unsupported_grant_type" },
        { ["username", "tester"], HttpStatusCode.BadRequest, "unsupported_grant_type" },
        { ["grant_type", "password", "username", "tester", "password", "p@ss word", "service", "elsewhere"], HttpStatusCode.BadRequest, "invalid_request" },
    };

    [Theory]
    [MemberData(nameof(BadGrants))]
    public async Task Bearer_PostBadGrant_AnswersAnOAuthError(string[] fields, HttpStatusCode status, string error)
    {
        await using var registry = await RegistryUnderTest.StartAsync(Bearer());

        var (actual, body) = await TokenPostAsync(registry, fields.Chunk(2).Select(p => (p[0], p[1])).ToArray());

        Assert.Equal((status, error), (actual, body.GetProperty("error").GetString()));
    }

    [Fact]
    public async Task Bearer_TokenEndpoint_RefusesOtherMethodsAndBodies()
    {
        await using var registry = await RegistryUnderTest.StartAsync(Bearer());

        using var put = await registry.Http.PutAsync("/token", new StringContent(string.Empty));
        using var json = await registry.Http.PostAsync("/token", new StringContent("{}", Encoding.UTF8, "application/json"));
        using var huge = await registry.Http.PostAsync("/token", new FormUrlEncodedContent([new("scope", new string('x', 70_000))]));

        Assert.Equal((HttpStatusCode.MethodNotAllowed, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (put.StatusCode, json.StatusCode, huge.StatusCode));
    }

    [Fact]
    public async Task Bearer_ExpiredOrUnknownToken_Answers401WithInvalidToken()
    {
        var clock = new ManualTimeProvider();
        var options = Bearer();
        options.TimeProvider = clock;
        options.TokenLifetime = TimeSpan.FromSeconds(30);
        await using var registry = await RegistryUnderTest.StartAsync(options);
        var token = (await TokenGetAsync(registry, BasicHeader(Account.UserName, Account.Password), $"repository:{RegistryUnderTest.Repository}:pull")).GetProperty("token").GetString();
        clock.Advance(TimeSpan.FromSeconds(29));
        using (var live = await SendAsync(registry, registry.ManifestPath, "Bearer " + token))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }

        clock.Advance(TimeSpan.FromSeconds(1));

        foreach (var authorization in new[] { "Bearer " + token, "Bearer made-up", BasicHeader(Account.UserName, Account.Password) })
        {
            using var response = await SendAsync(registry, registry.ManifestPath, authorization);
            await RegistryAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
            var challenge = WwwAuthenticateParser.Parse(response.Headers.WwwAuthenticate.Single().ToString()).Single();
            Assert.Equal("invalid_token", challenge.Parameters["error"]);
        }
    }

    public static TheoryData<TestRegistryOptions, string> InvalidOptions => new()
    {
        { new TestRegistryOptions { Authentication = TestRegistryAuthMode.Basic }, "needs a credential" },
        { new TestRegistryOptions { Authentication = TestRegistryAuthMode.Bearer }, "anonymous pulls" },
        { new TestRegistryOptions { Authentication = TestRegistryAuthMode.Bearer, AllowAnonymousPull = true, TokenLifetime = TimeSpan.FromMilliseconds(500) }, "at least one second" },
        { new TestRegistryOptions { Authentication = (TestRegistryAuthMode)7 }, "not an authentication mode" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public async Task StartAsync_InconsistentAuthOptions_ThrowsArgumentException(TestRegistryOptions options, string message)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => TestRegistryServer.StartAsync(options));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    private static TestRegistryOptions Basic() => new() { Authentication = TestRegistryAuthMode.Basic, Credential = Account };

    private static TestRegistryOptions Bearer() => new() { Authentication = TestRegistryAuthMode.Bearer, Credential = Account };

    private static string BasicHeader(string user, string password) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));

    private static async Task<HttpResponseMessage> SendAsync(RegistryUnderTest registry, string path, string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return await registry.Http.SendAsync(request);
    }

    private static async Task<JsonElement> TokenGetAsync(RegistryUnderTest registry, string? authorization, params string[] scopes)
    {
        var query = "service=" + Uri.EscapeDataString(registry.Server.Host) + string.Concat(scopes.Select(s => "&scope=" + Uri.EscapeDataString(s)));
        using var response = await SendAsync(registry, "/token?" + query, authorization);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync()).RootElement;
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> TokenPostAsync(RegistryUnderTest registry, params (string Name, string Value)[] fields)
    {
        using var content = new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
        using var response = await registry.Http.PostAsync("/token", content);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync()).RootElement);
    }
}
