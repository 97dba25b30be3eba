using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using OciRegistry.Core.Tests.Support;
using Xunit;
using static OciRegistry.Core.Tests.TestRegistry.WritableRegistry;

namespace OciRegistry.Core.Tests.TestRegistry;

/// <summary>
/// The pull category of the conformance suite (conformance/01_pull_test.go) where the test registry once differed
/// from the reference server: a manifest reference that is neither a tag nor a digest, and (for the push
/// setup the pull tests do) an upload opened by a POST without a Content-Length.
/// </summary>
public sealed class ConformancePullTests
{
    [Theory]
    [InlineData("GET", "-not-a-tag")]
    [InlineData("HEAD", "-not-a-tag")]
    [InlineData("GET", ".hidden")]
    [InlineData("GET", "nosuchtag")]
    public async Task Manifest_NeitherATagInTheRepositoryNorADigest_Is404ManifestUnknown(string method, string reference)
    {
        await using var registry = await StartAsync();
        await registry.PushImageAsync("v1", "x");

        using var response = await registry.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"/v2/{Name}/manifests/{reference}"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        if (method == "GET")
        {
            await RegistryAssert.ErrorAsync(response, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        }
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("HEAD")]
    public async Task Manifest_ShapedLikeADigestButMalformed_Is400DigestInvalid(string method)
    {
        await using var registry = await StartAsync();

        using var response = await registry.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"/v2/{Name}/manifests/sha256:xyz"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        if (method == "GET")
        {
            await RegistryAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        }
    }

    [Fact]
    public async Task UploadOpenedWithoutContentLength_IsAccepted()
    {
        await using var registry = await StartAsync();
        using var raw = await RawClient.ConnectAsync(registry.Server);

        await raw.SendAsync(Encoding.ASCII.GetBytes($"POST /v2/{Name}/blobs/uploads/ HTTP/1.1\r\nHost: {registry.Server.Host}\r\n\r\n"));

        Assert.Equal(202, await raw.ReadStatusAsync());
    }
}
