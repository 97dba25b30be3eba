using System;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading.Tasks;
using OciRegistry.Core.Client;
using OciRegistry.Core.References;
using OciRegistry.Core.Tests.Support;

namespace OciRegistry.Core.Tests.Client;

/// <summary>The redirect policy: Authorization stays with its origin, no downgrade, a bounded number of hops.</summary>
public sealed class RedirectTests
{
    private const string Start = "https://registry.example/v2/team/app/blobs/sha256:abc";

    [Theory]
    [InlineData("/v2/team/app/blobs/elsewhere", "https://registry.example/v2/team/app/blobs/elsewhere")]
    [InlineData("elsewhere", "https://registry.example/v2/team/app/blobs/elsewhere")]
    [InlineData("../manifests/x?a=b", "https://registry.example/v2/team/app/manifests/x?a=b")]
    [InlineData("https://registry.example/other", "https://registry.example/other")]
    [InlineData("https://REGISTRY.example:443/other", "https://registry.example/other")]
    public async Task SendAsync_SameOriginRedirect_ResolvesLocationAndKeepsAuthorization(string location, string expected)
    {
        var stub = StubHandler.Sequence(_ => Responses.Redirect(location), _ => Responses.Status(200, "ok"));
        using var client = TestClient.Create(stub);

        using var response = await client.SendAsync(Authorized(HttpMethod.Get, Start), default);

        var follow = stub.Requests[1];
        Assert.Equal(expected, follow.Uri.AbsoluteUri);
        Assert.Equal("Bearer secret-token", follow.Authorization);
        Assert.Equal("application/json", follow.Headers["Accept"]);
    }

    [Theory]
    [InlineData("https://cdn.example/blob?sig=abc")]
    [InlineData("https://registry.example:8443/v2/team/app/blobs/x")]
    [InlineData("https://sub.registry.example/v2/x")]
    public async Task SendAsync_RedirectToAnotherOrigin_DropsAuthorization(string location)
    {
        var stub = StubHandler.Sequence(_ => Responses.Redirect(location, 302), _ => Responses.Status(200, "ok"));
        using var client = TestClient.Create(stub);

        using var response = await client.SendAsync(Authorized(HttpMethod.Get, Start), default);

        Assert.Equal(location, stub.Requests[1].Uri.OriginalString);
        Assert.Null(stub.Requests[1].Authorization);
        Assert.Equal("application/json", stub.Requests[1].Headers["Accept"]);
    }

    [Fact]
    public async Task SendAsync_HttpToHttpsOnSameHost_DropsAuthorization()
    {
        var stub = StubHandler.Sequence(_ => Responses.Redirect("https://localhost:5000/v2/x"), _ => Responses.Status(200, "ok"));
        using var client = TestClient.Create(stub, registry: "localhost:5000");

        using var response = await client.SendAsync(Authorized(HttpMethod.Get, "http://localhost:5000/v2/team/app/blobs/x"), default);

        Assert.Null(stub.Requests[1].Authorization);
    }

    [Fact]
    public async Task SendAsync_ChainThroughCdnAndBack_SendsAuthorizationOnlyToTheOriginalOrigin()
    {
        var stub = StubHandler.Sequence(
            _ => Responses.Redirect("https://cdn.example/a"),
            _ => Responses.Redirect("https://registry.example/v2/back"),
            _ => Responses.Status(200, "ok"));
        using var client = TestClient.Create(stub);

        using var response = await client.SendAsync(Authorized(HttpMethod.Get, Start), default);

        Assert.Equal(new string?[] { null, "Bearer secret-token" }, stub.Requests.Skip(1).Select(r => r.Authorization));
    }

    [Fact]
    public async Task GetManifestAsync_TokenAuthenticatedThenRedirectedToCdn_DoesNotLeakTheToken()
    {
        var stub = new StubHandler(request => request.RequestUri!.Host switch
        {
            "auth.example" => Responses.Json("""{"token":"t1"}"""),
            "cdn.example" => Manifests.Response(Manifests.Oci()),
            _ when request.Headers.Authorization is null => Responses.Challenge("Bearer realm=\"https://auth.example/token\""),
            _ => Responses.Redirect("https://cdn.example/manifest?sig=x"),
        });
        using var client = TestClient.Create(stub);

        await client.GetManifestAsync(Reference.Parse(TestClient.Registry + "/team/app:1"));

        var cdn = Assert.Single(stub.Requests, r => r.Uri.Host == "cdn.example");
        Assert.Null(cdn.Authorization);
        Assert.Equal("Bearer t1", stub.Requests.Single(r => r.Uri.Host == TestClient.Registry && r.Authorization is not null).Authorization);
    }

    [Fact]
    public async Task SendAsync_HttpsToHttp_IsRefused()
    {
        var stub = StubHandler.Sequence(_ => Responses.Redirect("http://cdn.example/blob?sig=SECRET"));
        using var client = TestClient.Create(stub);

        var e = await Assert.ThrowsAsync<OciException>(() => client.SendAsync(Authorized(HttpMethod.Get, Start), default));

        Assert.Contains("plain HTTP", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", e.Message, StringComparison.Ordinal);
        Assert.Single(stub.Requests);
    }

    [Theory]
    [InlineData("ftp://cdn.example/blob")]
    [InlineData("file:///etc/passwd")]
    public async Task SendAsync_RedirectToOtherScheme_IsRefused(string location)
    {
        var stub = StubHandler.Sequence(_ => Responses.Redirect(location));
        using var client = TestClient.Create(stub);

        await Assert.ThrowsAsync<OciException>(() => client.SendAsync(Authorized(HttpMethod.Get, Start), default));

        Assert.Single(stub.Requests);
    }

    [Fact]
    public async Task SendAsync_TenRedirects_AreFollowed()
    {
        var hops = 0;
        var stub = new StubHandler(_ => ++hops <= 10 ? Responses.Redirect($"/v2/hop{hops}") : Responses.Status(200, "ok"));
        using var client = TestClient.Create(stub);

        using var response = await client.SendAsync(Authorized(HttpMethod.Get, Start), default);

        Assert.Equal(11, stub.Requests.Count);
    }

    [Fact]
    public async Task SendAsync_MoreThanTenRedirects_ThrowsWithoutRetrying()
    {
        var hops = 0;
        var stub = new StubHandler(_ => Responses.Redirect($"/v2/hop{++hops}?token=SECRET"));
        using var client = TestClient.Create(stub);

        var e = await Assert.ThrowsAsync<OciException>(() => client.SendAsync(Authorized(HttpMethod.Get, Start + "?sig=SECRET"), default));

        Assert.Contains("more than 10", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", e.Message, StringComparison.Ordinal);
        Assert.Equal(11, stub.Requests.Count);
    }

    [Fact]
    public async Task SendAsync_RedirectLoop_Stops()
    {
        var stub = new StubHandler(request => Responses.Redirect(request.RequestUri!.AbsolutePath == "/a" ? "/b" : "/a"));
        using var client = TestClient.Create(stub);

        await Assert.ThrowsAsync<OciException>(() => client.SendAsync(Authorized(HttpMethod.Get, "https://registry.example/a"), default));

        Assert.Equal(11, stub.Requests.Count);
    }

    [Fact]
    public async Task SendAsync_SeeOtherAfterPost_FollowsWithGetAndNoBody()
    {
        var stub = StubHandler.Sequence(_ => Responses.Redirect("/v2/done", 303), _ => Responses.Status(200, "ok"));
        using var client = TestClient.Create(stub);
        using var request = Authorized(HttpMethod.Post, "https://registry.example/v2/team/app/blobs/uploads/");
        request.Content = new StringContent("payload");

        using var response = await client.SendAsync(request, default);

        Assert.Equal(HttpMethod.Post, stub.Requests[0].Method);
        Assert.Equal(HttpMethod.Get, stub.Requests[1].Method);
        Assert.Null(stub.Requests[1].Body);
    }

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(303)]
    [InlineData(307)]
    [InlineData(308)]
    public async Task SendAsync_RedirectOfHead_StaysHead(int status)
    {
        var stub = StubHandler.Sequence(_ => Responses.Redirect("/v2/next", status), _ => Responses.Status(200));
        using var client = TestClient.Create(stub);

        using var response = await client.SendAsync(Authorized(HttpMethod.Head, Start), default);

        Assert.Equal(HttpMethod.Head, stub.Requests[1].Method);
    }

    [Fact]
    public async Task SendAsync_RedirectWithoutLocation_IsReturnedAsAnError()
    {
        var stub = new StubHandler(_ => Responses.Status(302));
        using var client = TestClient.Create(stub);

        var e = await Assert.ThrowsAsync<RegistryResponseException>(() => client.SendAsync(Authorized(HttpMethod.Get, Start), default));

        Assert.Equal(302, e.StatusCode);
        Assert.Single(stub.Requests);
    }

    private static HttpRequestMessage Authorized(HttpMethod method, string url)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "secret-token");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return request;
    }
}
