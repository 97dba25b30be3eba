using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;
using OciRegistry.TestRegistry;
using Xunit;
using static OciRegistry.Core.Tests.TestRegistry.WritableRegistry;

namespace OciRegistry.Core.Tests.TestRegistry;

/// <summary>
/// The push category of the distribution-spec conformance suite (conformance/02_push_test.go: blob upload streamed,
/// monolithic and chunked, manifest upload), then the error cases the suite leaves out.
/// </summary>
public sealed class ConformancePushTests
{
    private static readonly byte[] BlobA = Encoding.ASCII.GetBytes("the first conformance blob");
    private static readonly byte[] BlobB = RegistryFixture.Pattern(1000);

    [Fact]
    public async Task Streamed_PatchWithBlob_Returns202_AndPutWithDigest_Returns201()
    {
        await using var registry = await StartAsync();
        using var post = await registry.Http.PostAsync($"/v2/{Name}/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);

        using var patch = await registry.Http.PatchAsync(Location(post), Octets(BlobA));
        Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);
        Assert.Equal($"0-{BlobA.Length - 1}", RegistryAssert.Header(patch, "Range"));
        using var put = await registry.Http.PutAsync(Location(patch) + "?digest=" + Digest.Compute(BlobA), null);

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal($"/v2/{Name}/blobs/{Digest.Compute(BlobA)}", Location(put));
        Assert.Equal(BlobA, await registry.Http.GetByteArrayAsync(Location(put)));
    }

    [Fact]
    public async Task Monolithic_PostWithDigestAndBlob_Returns201_AndTheBlobIsServed()
    {
        await using var registry = await StartAsync();
        var digest = Digest.Compute(BlobA);
        using (var missing = await registry.Http.GetAsync($"/v2/{Name}/blobs/{digest}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        using var post = await registry.Http.PostAsync($"/v2/{Name}/blobs/uploads/?digest={digest}", Octets(BlobA));

        Assert.Equal(HttpStatusCode.Created, post.StatusCode);
        Assert.Equal(digest.ToString(), RegistryAssert.Header(post, "Docker-Content-Digest"));
        Assert.Equal(BlobA, await registry.Http.GetByteArrayAsync(Location(post)));
    }

    [Fact]
    public async Task Monolithic_PostYieldsASession_AndPutOfTheBlob_Returns201()
    {
        await using var registry = await StartAsync();
        using var post = await registry.Http.PostAsync($"/v2/{Name}/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        var id = RegistryAssert.Header(post, "Docker-Upload-UUID");
        Assert.Equal($"/v2/{Name}/blobs/uploads/{id}", Location(post));
        Assert.Equal("0-0", RegistryAssert.Header(post, "Range"));

        using var put = await registry.Http.PutAsync(Location(post) + "?digest=" + Digest.Compute(BlobA), Octets(BlobA));

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(BlobA, await registry.Http.GetByteArrayAsync($"/v2/{Name}/blobs/{Digest.Compute(BlobA)}"));
    }

    [Fact]
    public async Task Chunked_OutOfOrderChunk_Returns416_InOrderChunks_Return202Then201()
    {
        await using var registry = await StartAsync();
        var first = BlobB.Take(600).ToArray();
        var second = BlobB.Skip(600).ToArray();
        using (var post = await registry.Http.PostAsync($"/v2/{Name}/blobs/uploads/", null))
        using (var outOfOrder = await registry.Http.PatchAsync(Location(post), Octets(second, "600-999")))
        {
            await RegistryAssert.ErrorAsync(outOfOrder, HttpStatusCode.RequestedRangeNotSatisfiable, "BLOB_UPLOAD_INVALID");
            Assert.Equal("0-0", RegistryAssert.Header(outOfOrder, "Range"));
        }

        using var start = await registry.Http.PostAsync($"/v2/{Name}/blobs/uploads/", null);
        using var patch = await registry.Http.PatchAsync(Location(start), Octets(first, "0-599"));
        Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);
        Assert.Equal("0-599", RegistryAssert.Header(patch, "Range"));
        using (var again = await registry.Http.PatchAsync(Location(patch), Octets(first, "0-599")))
        {
            Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, again.StatusCode);
        }

        using var put = await registry.Http.PutAsync(Location(patch) + "?digest=" + Digest.Compute(BlobB), Octets(second, "600-999"));

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(BlobB, await registry.Http.GetByteArrayAsync(Location(put)));
    }

    [Fact]
    public async Task ManifestUpload_GetMissing404_PutFourTags201_GetByDigest200()
    {
        await using var registry = await StartAsync();
        using (var missing = await registry.Http.GetAsync($"/v2/{Name}/manifests/nonexistent"))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        var config = await registry.PushBlobAsync(BlobA);
        var layer = await registry.PushBlobAsync(BlobB);
        var manifest = Manifest((config, BlobA.Length, MediaTypes.OciConfig), [(layer, BlobB.Length)]);
        var digest = Digest.Compute(manifest);
        for (var i = 0; i < 4; i++)
        {
            using var put = await registry.PutManifestAsync("test" + i, manifest);
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
            Assert.Equal($"/v2/{Name}/manifests/{digest}", Location(put));
            Assert.Equal(digest.ToString(), RegistryAssert.Header(put, "Docker-Content-Digest"));
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/{Name}/manifests/{digest}");
        request.Headers.Accept.ParseAdd(MediaTypes.OciManifest);
        using var get = await registry.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(manifest, await get.Content.ReadAsByteArrayAsync());
        Assert.Equal(["test0", "test1", "test2", "test3"], registry.Server.Content.GetTags(Name));
    }

    [Fact]
    public async Task Put_ByDigest_StoresWithoutTag()
    {
        await using var registry = await StartAsync();
        var (_, manifest) = await registry.PushImageAsync("t", "x");
        var other = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(manifest).Replace("}]}", "}],\"annotations\":{\"a\":\"b\"}}"));

        using var put = await registry.PutManifestAsync(Digest.Compute(other).ToString(), other);

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(["t"], registry.Server.Content.GetTags(Name));
    }

    [Fact]
    public async Task UploadStatus_Returns204WithRange_AndCancel_EndsTheSession()
    {
        await using var registry = await StartAsync();
        using var post = await registry.Http.PostAsync($"/v2/{Name}/blobs/uploads/", null);
        using var patch = await registry.Http.PatchAsync(Location(post), Octets(BlobA));

        using (var status = await registry.Http.GetAsync(Location(patch)))
        {
            Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
            Assert.Equal($"0-{BlobA.Length - 1}", RegistryAssert.Header(status, "Range"));
            Assert.Equal(Location(post), Location(status));
        }

        using (var cancel = await registry.Http.DeleteAsync(Location(patch)))
        {
            Assert.Equal(HttpStatusCode.NoContent, cancel.StatusCode);
        }

        using var after = await registry.Http.GetAsync(Location(patch));
        await RegistryAssert.ErrorAsync(after, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
    }

    [Fact]
    public async Task Mount_FromARepositoryHoldingTheBlob_Returns201_OtherwiseASession()
    {
        await using var registry = await StartAsync();
        var digest = await registry.PushBlobAsync(BlobA, "source/repo");

        using var mounted = await registry.Http.PostAsync($"/v2/{Name}/blobs/uploads/?mount={digest}&from=source/repo", null);
        using var unknown = await registry.Http.PostAsync($"/v2/{Name}/blobs/uploads/?mount={Digest.Compute(BlobB)}&from=source/repo", null);
        using var noFrom = await registry.Http.PostAsync($"/v2/other/blobs/uploads/?mount={digest}", null);

        Assert.Equal(HttpStatusCode.Created, mounted.StatusCode);
        Assert.Equal($"/v2/{Name}/blobs/{digest}", Location(mounted));
        Assert.Equal(BlobA, await registry.Http.GetByteArrayAsync(Location(mounted)));
        Assert.Equal(HttpStatusCode.Accepted, unknown.StatusCode);
        Assert.Contains("/blobs/uploads/", Location(unknown));
        Assert.Equal(HttpStatusCode.Accepted, noFrom.StatusCode);
    }

    [Fact]
    public async Task LargeUpload_SpillsToAFileTheServerDeletesOnStop()
    {
        var registry = await StartAsync();
        var blob = RegistryFixture.Pattern((3 * UploadSession.MemoryLimit) + 17);
        var digest = Digest.Compute(blob);
        using (var post = await registry.Http.PostAsync($"/v2/{Name}/blobs/uploads/", null))
        using (var patch = await registry.Http.PatchAsync(Location(post), Octets(blob.Take(UploadSession.MemoryLimit / 2).ToArray(), $"0-{(UploadSession.MemoryLimit / 2) - 1}")))
        using (var put = await registry.Http.PutAsync(Location(patch) + "?digest=" + digest, Octets(blob.Skip(UploadSession.MemoryLimit / 2).ToArray())))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        Assert.Equal(blob, await registry.Http.GetByteArrayAsync($"/v2/{Name}/blobs/{digest}"));
        var folder = registry.Server.Uploads.Folder;
        Assert.NotNull(folder);
        Assert.Single(Directory.GetFiles(folder));

        await registry.DisposeAsync();

        Assert.False(Directory.Exists(folder));
    }

    [Theory]
    [InlineData("sha256:0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("sha256:abc")]
    [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData(null)]
    public async Task Put_WrongMalformedOrMissingDigest_Returns400DigestInvalid(string? digest)
    {
        await using var registry = await StartAsync();
        using var post = await registry.Http.PostAsync($"/v2/{Name}/blobs/uploads/", null);

        using var put = await registry.Http.PutAsync(Location(post) + (digest is null ? string.Empty : "?digest=" + digest), Octets(BlobA));

        await RegistryAssert.ErrorAsync(put, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        Assert.Empty(registry.Server.Content.Repositories);
    }

    [Fact]
    public async Task PostMonolithic_WrongDigest_Returns400_AndStoresNothing()
    {
        await using var registry = await StartAsync();

        using var post = await registry.Http.PostAsync($"/v2/{Name}/blobs/uploads/?digest={Digest.Compute(BlobB)}", Octets(BlobA));

        await RegistryAssert.ErrorAsync(post, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        using var get = await registry.Http.GetAsync($"/v2/{Name}/blobs/{Digest.Compute(BlobA)}");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Theory]
    [InlineData("bytes=0-", HttpStatusCode.BadRequest, "BLOB_UPLOAD_INVALID")]
    [InlineData("5-2", HttpStatusCode.BadRequest, "BLOB_UPLOAD_INVALID")]
    [InlineData("x-y", HttpStatusCode.BadRequest, "BLOB_UPLOAD_INVALID")]
    [InlineData("0-3", HttpStatusCode.RequestedRangeNotSatisfiable, "BLOB_UPLOAD_INVALID")]
    [InlineData("1-26", HttpStatusCode.RequestedRangeNotSatisfiable, "BLOB_UPLOAD_INVALID")]
    public async Task Patch_MalformedOrMismatchedContentRange_IsRefused(string range, HttpStatusCode status, string code)
    {
        await using var registry = await StartAsync();
        using var post = await registry.Http.PostAsync($"/v2/{Name}/blobs/uploads/", null);

        using var patch = await registry.Http.PatchAsync(Location(post), Octets(BlobA, range));

        await RegistryAssert.ErrorAsync(patch, status, code);
        using var state = await registry.Http.GetAsync(Location(post));
        Assert.Equal("0-0", RegistryAssert.Header(state, "Range"));
    }

    [Theory]
    [InlineData("PATCH")]
    [InlineData("PUT")]
    [InlineData("GET")]
    [InlineData("DELETE")]
    public async Task UnknownSession_Returns404BlobUploadUnknown(string method)
    {
        await using var registry = await StartAsync();
        using var elsewhere = await registry.Http.PostAsync("/v2/other/blobs/uploads/", null);
        var id = RegistryAssert.Header(elsewhere, "Docker-Upload-UUID");

        foreach (var path in new[] { $"/v2/{Name}/blobs/uploads/no-such-session", $"/v2/{Name}/blobs/uploads/{id}" })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path + (method == "PUT" ? "?digest=" + Digest.Compute(BlobA) : string.Empty));
            using var response = await registry.Http.SendAsync(request);
            await RegistryAssert.ErrorAsync(response, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        }
    }

    [Theory]
    [InlineData("POST", "/v2/Upper/blobs/uploads/")]
    [InlineData("PUT", "/v2/a..b/manifests/v1")]
    [InlineData("DELETE", "/v2/-x/blobs/sha256:0000000000000000000000000000000000000000000000000000000000000000")]
    public async Task MalformedName_Returns400NameInvalid(string method, string path)
    {
        await using var registry = await StartAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = Octets([]) };

        using var response = await registry.Http.SendAsync(request);

        await RegistryAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "NAME_INVALID");
    }

    [Fact]
    public async Task PutManifest_ReferringToMissingBlobs_Returns400ManifestBlobUnknown()
    {
        await using var registry = await StartAsync();
        var config = await registry.PushBlobAsync(BlobA);
        var missing = Digest.Compute(BlobB);

        using var put = await registry.PutManifestAsync("v1", Manifest((config, BlobA.Length, MediaTypes.OciConfig), [(missing, BlobB.Length)]));
        using var noConfig = await registry.PutManifestAsync("v1", Manifest((missing, 5, MediaTypes.OciConfig), []));

        await RegistryAssert.ErrorAsync(put, HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
        await RegistryAssert.ErrorAsync(noConfig, HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
        Assert.Empty(registry.Server.Content.GetTags(Name));
    }

    [Fact]
    public async Task PutManifest_BlobInAnotherRepositoryOnly_Returns400()
    {
        await using var registry = await StartAsync();
        var config = await registry.PushBlobAsync(BlobA, "elsewhere");

        using var put = await registry.PutManifestAsync("v1", Manifest((config, BlobA.Length, MediaTypes.OciConfig), []));

        await RegistryAssert.ErrorAsync(put, HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
    }

    [Fact]
    public async Task PutManifest_WrongBlobSize_Returns400ManifestInvalid()
    {
        await using var registry = await StartAsync();
        var config = await registry.PushBlobAsync(BlobA);

        using var put = await registry.PutManifestAsync("v1", Manifest((config, BlobA.Length + 1, MediaTypes.OciConfig), []));

        await RegistryAssert.ErrorAsync(put, HttpStatusCode.BadRequest, "MANIFEST_INVALID");
    }

    [Fact]
    public async Task PutManifest_DigestReferenceThatDoesNotMatch_Returns400DigestInvalid()
    {
        await using var registry = await StartAsync();
        var config = await registry.PushBlobAsync(BlobA);
        var manifest = Manifest((config, BlobA.Length, MediaTypes.OciConfig), []);

        using var wrong = await registry.PutManifestAsync(Digest.Compute(BlobA).ToString(), manifest);
        using var malformed = await registry.PutManifestAsync("sha256:xyz", manifest);
        using var sha512 = await registry.PutManifestAsync(Digest.Compute("sha512", manifest).ToString(), manifest);

        await RegistryAssert.ErrorAsync(wrong, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        await RegistryAssert.ErrorAsync(malformed, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        Assert.Equal(HttpStatusCode.Created, sha512.StatusCode);
        Assert.Equal(Digest.Compute("sha512", manifest).ToString(), RegistryAssert.Header(sha512, "Docker-Content-Digest"));
    }

    [Theory]
    [InlineData("not json", MediaTypes.OciManifest)]
    [InlineData("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"}", MediaTypes.OciManifest)]
    [InlineData("{\"schemaVersion\":1,\"name\":\"x\",\"tag\":\"y\",\"fsLayers\":[]}", MediaTypes.DockerSchema1)]
    [InlineData("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}", MediaTypes.OciManifest)]
    public async Task PutManifest_Invalid_Returns400ManifestInvalid(string content, string mediaType)
    {
        await using var registry = await StartAsync();

        using var put = await registry.PutManifestAsync("v1", Json(content), mediaType);

        await RegistryAssert.ErrorAsync(put, HttpStatusCode.BadRequest, "MANIFEST_INVALID");
    }

    [Theory]
    [InlineData(".hidden", "MANIFEST_INVALID")]
    [InlineData("sha256:", "DIGEST_INVALID")]
    public async Task PutManifest_MalformedReference_Returns400(string reference, string code)
    {
        await using var registry = await StartAsync();

        using var put = await registry.PutManifestAsync(reference, Json("{}"));

        await RegistryAssert.ErrorAsync(put, HttpStatusCode.BadRequest, code);
    }

    [Fact]
    public async Task PutManifest_UpTo4MiB_IsAccepted_Larger_Returns413()
    {
        await using var registry = await StartAsync();
        var config = await registry.PushBlobAsync(BlobA);
        var small = Manifest((config, BlobA.Length, MediaTypes.OciConfig), [], annotation: string.Empty);
        var padding = RegistryRequestHandler.MaxManifestSize - small.Length;
        var exact = Manifest((config, BlobA.Length, MediaTypes.OciConfig), [], annotation: new string('x', padding));
        var over = Manifest((config, BlobA.Length, MediaTypes.OciConfig), [], annotation: new string('x', padding + 1));
        Assert.Equal(RegistryRequestHandler.MaxManifestSize, exact.Length);

        using var accepted = await registry.PutManifestAsync("big", exact);
        using var refused = await registry.PutManifestAsync("bigger", over);

        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        await RegistryAssert.ErrorAsync(refused, HttpStatusCode.RequestEntityTooLarge, "SIZE_INVALID");
    }

    [Fact]
    public async Task PutIndex_StoresItWithItsMediaType()
    {
        await using var registry = await StartAsync();
        var (digest, manifest) = await registry.PushImageAsync("amd64", "a");
        var index = Json($$$"""{"schemaVersion":2,"mediaType":"{{{MediaTypes.OciIndex}}}","manifests":[{"mediaType":"{{{MediaTypes.OciManifest}}}","digest":"{{{digest}}}","size":{{{manifest.Length}}},"platform":{"architecture":"amd64","os":"linux"}}]}""");

        using var put = await registry.PutManifestAsync("multi", index, MediaTypes.OciIndex);
        using var get = await registry.Http.GetAsync($"/v2/{Name}/manifests/multi");

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(MediaTypes.OciIndex, get.Content.Headers.ContentType?.MediaType);
        Assert.Equal(index, await get.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("POST", "/v2/x/blobs/uploads/")]
    [InlineData("PUT", "/v2/x/manifests/v1")]
    [InlineData("DELETE", "/v2/a/b/c/manifests/v1")]
    public async Task ReadOnly_RefusesWrites_With405(string method, string path)
    {
        await using var registry = await StartAsync(new TestRegistryOptions { ReadOnly = true });
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = Octets([1]) };

        using var response = await registry.Http.SendAsync(request);

        await RegistryAssert.ErrorAsync(response, HttpStatusCode.MethodNotAllowed, "UNSUPPORTED");
    }
}
