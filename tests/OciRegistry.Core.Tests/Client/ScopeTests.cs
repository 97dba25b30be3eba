using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using OciRegistry.Core.Client;
using OciRegistry.Core.Tests.Support;

namespace OciRegistry.Core.Tests.Client;

/// <summary>The token scope a request needs, derived from its path.</summary>
public sealed class ScopeTests
{
    [Theory]
    [InlineData("GET", "/v2/team/app/manifests/1.0", "repository:team/app:pull")]
    [InlineData("HEAD", "/v2/team/app/manifests/1.0", "repository:team/app:pull")]
    [InlineData("GET", "/v2/library/alpine/blobs/sha256:abc", "repository:library/alpine:pull")]
    [InlineData("GET", "/v2/team/app/tags/list?n=2", "repository:team/app:pull")]
    [InlineData("GET", "/v2/team/app/referrers/sha256:abc", "repository:team/app:pull")]
    [InlineData("PUT", "/v2/team/app/manifests/1.0", "repository:team/app:pull,push")]
    [InlineData("POST", "/v2/team/app/blobs/uploads/", "repository:team/app:pull,push")]
    [InlineData("GET", "/v2/_catalog", "registry:catalog:*")]
    [InlineData("GET", "/v2/", "")]
    [InlineData("GET", "/token", "")]
    [InlineData("GET", "/v2/team/tags/app/manifests/1", "repository:team/tags/app:pull")]
    [InlineData("GET", "/v2/team/manifests/app/blobs/sha256:abc", "repository:team/manifests/app:pull")]
    [InlineData("GET", "/v2/team/manifests/app/tags/list", "repository:team/manifests/app:pull")]
    [InlineData("GET", "/v2/team/blobs/app/tags/list", "repository:team/blobs/app:pull")]
    [InlineData("GET", "/v2/team/blobs/app/referrers/sha256:abc", "repository:team/blobs/app:pull")]
    [InlineData("GET", "/v2/tags/manifests/blobs/blobs/sha256:abc", "repository:tags/manifests/blobs:pull")]
    public void ScopeFor_RequestPath_NamesTheWholeRepository(string method, string path, string scope)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), "https://registry.example" + path);

        Assert.Equal(scope, AuthenticationHandler.ScopeFor(request));
    }

    [Fact]
    public async Task ListTagsAsync_RepositoryWithAManifestsComponent_AsksForThatRepositorysScope()
    {
        var stub = new StubHandler(request => request.RequestUri!.Host == "auth.example"
            ? Responses.Json("""{"token":"t1"}""")
            : request.Headers.Authorization is null
                ? Responses.Challenge("Bearer realm=\"https://auth.example/token\"")
                : Responses.Json("""{"tags":["a"]}"""));
        using var client = TestClient.Create(stub);

        await foreach (var _ in client.ListTagsAsync("team/manifests/app"))
        {
        }

        Assert.Equal("repository:team/manifests/app:pull", stub.Requests.Single(r => r.Uri.Host == "auth.example").Query["scope"]);
    }
}
