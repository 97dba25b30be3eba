using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using OciRegistry.TestRegistry;
using Xunit;
using static OciRegistry.Core.Tests.TestRegistry.WritableRegistry;

namespace OciRegistry.Core.Tests.TestRegistry;

/// <summary>
/// The content management category of the conformance suite (conformance/04_management_test.go): deleting tags,
/// manifests and blobs, and what is left afterwards; deletion switched off.
/// </summary>
public sealed class ConformanceManagementTests
{
    [Fact]
    public async Task DeleteTag_Returns202_RemovesOnlyTheTag()
    {
        await using var registry = await StartAsync();
        var (digest, _) = await registry.PushImageAsync("test0", "x");
        using (var tag = await registry.PutManifestAsync("test1", (await registry.Http.GetByteArrayAsync($"/v2/{Name}/manifests/test0"))))
        {
            Assert.Equal(HttpStatusCode.Created, tag.StatusCode);
        }

        using var delete = await registry.Http.DeleteAsync($"/v2/{Name}/manifests/test0");
        using var byTag = await registry.Http.GetAsync($"/v2/{Name}/manifests/test0");
        using var byDigest = await registry.Http.GetAsync($"/v2/{Name}/manifests/{digest}");

        Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        await RegistryAssert.ErrorAsync(byTag, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        Assert.Equal(HttpStatusCode.OK, byDigest.StatusCode);
        Assert.Equal(["test1"], registry.Server.Content.GetTags(Name));
    }

    [Fact]
    public async Task DeleteManifest_Returns202_AndItAndItsTagsAreGone()
    {
        await using var registry = await StartAsync();
        var (digest, _) = await registry.PushImageAsync("test0", "x");
        await registry.PushImageAsync("other", "y");

        using var delete = await registry.Http.DeleteAsync($"/v2/{Name}/manifests/{digest}");
        using var get = await registry.Http.GetAsync($"/v2/{Name}/manifests/{digest}");
        using var again = await registry.Http.DeleteAsync($"/v2/{Name}/manifests/{digest}");

        Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        await RegistryAssert.ErrorAsync(get, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        await RegistryAssert.ErrorAsync(again, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        Assert.Equal(["other"], registry.Server.Content.GetTags(Name));
    }

    [Fact]
    public async Task DeleteBlob_Returns202_AndTheBlobIsGone_OnlyFromThatRepository()
    {
        await using var registry = await StartAsync();
        var digest = await registry.PushBlobAsync("shared"u8.ToArray());
        await registry.PushBlobAsync("shared"u8.ToArray(), "other");

        using var delete = await registry.Http.DeleteAsync($"/v2/{Name}/blobs/{digest}");
        using var get = await registry.Http.GetAsync($"/v2/{Name}/blobs/{digest}");
        using var again = await registry.Http.DeleteAsync($"/v2/{Name}/blobs/{digest}");
        using var other = await registry.Http.GetAsync($"/v2/other/blobs/{digest}");

        Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        await RegistryAssert.ErrorAsync(get, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
        await RegistryAssert.ErrorAsync(again, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Theory]
    [InlineData("/v2/conformance/test/manifests/sha256:xyz", HttpStatusCode.BadRequest, "DIGEST_INVALID")]
    [InlineData("/v2/conformance/test/blobs/sha256:xyz", HttpStatusCode.BadRequest, "DIGEST_INVALID")]
    [InlineData("/v2/conformance/test/manifests/nosuchtag", HttpStatusCode.NotFound, "MANIFEST_UNKNOWN")]
    [InlineData("/v2/unknown/repo/manifests/v1", HttpStatusCode.NotFound, "NAME_UNKNOWN")]
    public async Task Delete_MalformedOrUnknown_IsAnError(string path, HttpStatusCode status, string code)
    {
        await using var registry = await StartAsync();
        await registry.PushImageAsync("v1", "x");

        using var response = await registry.Http.DeleteAsync(path);

        await RegistryAssert.ErrorAsync(response, status, code);
    }

    [Theory]
    [InlineData("manifests/v1")]
    [InlineData("blobs/{blob}")]
    public async Task Delete_SwitchedOff_Returns405_AndKeepsTheContent(string path)
    {
        await using var registry = await StartAsync(new TestRegistryOptions { AllowDelete = false });
        var blob = await registry.PushBlobAsync("kept"u8.ToArray());
        await registry.PushImageAsync("v1", "x");

        using var response = await registry.Http.DeleteAsync($"/v2/{Name}/{path.Replace("{blob}", blob.ToString())}");

        await RegistryAssert.ErrorAsync(response, HttpStatusCode.MethodNotAllowed, "UNSUPPORTED");
        Assert.DoesNotContain("DELETE", response.Content.Headers.Allow);
        using var get = await registry.Http.GetAsync($"/v2/{Name}/{path.Replace("{blob}", blob.ToString())}");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
    }
}
