using System;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using OciRegistry.Core.References;
using OciRegistry.TestRegistry;
using Xunit;
using static OciRegistry.Core.Tests.TestRegistry.WritableRegistry;

namespace OciRegistry.Core.Tests.TestRegistry;

/// <summary>Writes behind authentication: Basic allows everything to the account, bearer needs push and delete scopes.</summary>
public sealed class PushAuthenticationTests
{
    private static readonly NetworkCredential Account = new("pusher", "s3cret");

    [Fact]
    public async Task Basic_AnonymousMayReadButNotWrite_TheAccountMayDoEverything()
    {
        await using var registry = await StartAsync(new TestRegistryOptions { Authentication = TestRegistryAuthMode.Basic, Credential = Account, AllowAnonymousPull = true });

        using var read = await registry.Http.GetAsync("/v2/");
        using var anonymous = await registry.Http.PostAsync($"/v2/{Name}/blobs/uploads/", null);
        registry.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("pusher:s3cret")));
        var (digest, _) = await registry.PushImageAsync("v1", "basic");
        using var delete = await registry.Http.DeleteAsync($"/v2/{Name}/manifests/{digest}");

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        await RegistryAssert.ErrorAsync(anonymous, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        Assert.StartsWith("Basic ", RegistryAssert.Header(anonymous, "WWW-Authenticate"));
        Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
    }

    [Fact]
    public async Task Bearer_ChallengeAsksForPullPush_AndAPullOnlyTokenIsRefusedWith403()
    {
        await using var registry = await StartAsync(new TestRegistryOptions { Authentication = TestRegistryAuthMode.Bearer, Credential = Account, AllowAnonymousPull = true });

        using var challenge = await registry.Http.PostAsync($"/v2/{Name}/blobs/uploads/", null);
        var anonymousToken = await TokenAsync(registry, $"repository:{Name}:pull,push", null);
        using var withAnonymous = await SendAsync(registry, HttpMethod.Post, $"/v2/{Name}/blobs/uploads/", anonymousToken);
        using var deleteChallenge = await SendAsync(registry, HttpMethod.Delete, $"/v2/{Name}/manifests/v1", anonymousToken);

        Assert.Equal(HttpStatusCode.Unauthorized, challenge.StatusCode);
        Assert.Contains($"scope=\"repository:{Name}:pull,push\"", RegistryAssert.Header(challenge, "WWW-Authenticate"));
        await RegistryAssert.ErrorAsync(withAnonymous, HttpStatusCode.Forbidden, "DENIED");
        Assert.Contains("error=\"insufficient_scope\"", RegistryAssert.Header(withAnonymous, "WWW-Authenticate"));
        Assert.Contains($"scope=\"repository:{Name}:delete\"", RegistryAssert.Header(deleteChallenge, "WWW-Authenticate"));
    }

    [Fact]
    public async Task Bearer_AccountTokenWithPushAndDelete_PushesAndDeletes_MountNeedsPullOnTheSource()
    {
        await using var registry = await StartAsync(new TestRegistryOptions { Authentication = TestRegistryAuthMode.Bearer, Credential = Account });
        var everything = await TokenAsync(registry, $"repository:{Name}:* repository:source:pull,push", Account);
        registry.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", everything);
        var blob = await registry.PushBlobAsync("mounted"u8.ToArray(), "source");
        var (digest, _) = await registry.PushImageAsync("v1", "bearer");
        using var mount = await registry.Http.PostAsync($"/v2/{Name}/blobs/uploads/?mount={blob}&from=source", null);
        using var delete = await registry.Http.DeleteAsync($"/v2/{Name}/manifests/{digest}");

        var noSource = await TokenAsync(registry, "repository:other:pull,push", Account);
        using var refused = await SendAsync(registry, HttpMethod.Post, $"/v2/other/blobs/uploads/?mount={blob}&from=source", noSource);

        Assert.Equal(HttpStatusCode.Created, mount.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, refused.StatusCode);
    }

    private static async Task<string> TokenAsync(WritableRegistry registry, string scopes, NetworkCredential? credential)
    {
        var query = "/token?service=" + Uri.EscapeDataString(registry.Server.Host);
        foreach (var scope in scopes.Split(' '))
        {
            query += "&scope=" + Uri.EscapeDataString(scope);
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, query);
        if (credential is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credential.UserName + ":" + credential.Password)));
        }

        using var response = await registry.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString()!;
    }

    private static async Task<HttpResponseMessage> SendAsync(WritableRegistry registry, HttpMethod method, string path, string token)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await registry.Http.SendAsync(request);
    }
}
