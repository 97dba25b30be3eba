using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Tests.TestRegistry;

public sealed class BlobEndpointTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>
{
    private readonly HttpClient _client = fixture.Client;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Get_KnownBlob_ReturnsContentAndHeaders(bool fromFile)
    {
        var (digest, content) = fromFile ? (fixture.FileDigest, fixture.FileBlob) : (fixture.SmallDigest, fixture.SmallBlob);

        using var response = await _client.GetAsync($"v2/{RegistryFixture.Repository}/blobs/{digest}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        RegistryAssert.ApiVersion(response);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(digest.ToString(), RegistryAssert.Header(response, "Docker-Content-Digest"));
        Assert.Equal($"\"{digest}\"", RegistryAssert.Header(response, "ETag"));
        Assert.Equal("bytes", RegistryAssert.Header(response, "Accept-Ranges"));
        Assert.Equal(content.Length, response.Content.Headers.ContentLength);
        Assert.Equal(content, await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Head_KnownBlob_ReturnsHeadersWithoutBody(bool fromFile)
    {
        var (digest, content) = fromFile ? (fixture.FileDigest, fixture.FileBlob) : (fixture.SmallDigest, fixture.SmallBlob);
        using var request = new HttpRequestMessage(HttpMethod.Head, $"v2/{RegistryFixture.Repository}/blobs/{digest}");

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(digest.ToString(), RegistryAssert.Header(response, "Docker-Content-Digest"));
        Assert.Equal(content.Length, response.Content.Headers.ContentLength);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("bytes=2-4", 206, 2, 4)]
    [InlineData("bytes=0-0", 206, 0, 0)]
    [InlineData("bytes=9-9", 206, 9, 9)]
    [InlineData("bytes=7-", 206, 7, 9)]
    [InlineData("bytes=0-", 206, 0, 9)]
    [InlineData("bytes=-3", 206, 7, 9)]
    [InlineData("bytes=-10", 206, 0, 9)]
    [InlineData("bytes=-20", 206, 0, 9)]
    [InlineData("bytes=3-100", 206, 3, 9)]
    [InlineData("bytes=3-99999999999999999999999", 206, 3, 9)]
    [InlineData("BYTES=2-4", 206, 2, 4)]
    [InlineData("bytes= 2-4 ", 206, 2, 4)]
    [InlineData("bytes=10-", 416, 0, 0)]
    [InlineData("bytes=10-20", 416, 0, 0)]
    [InlineData("bytes=99999999999999999999999-", 416, 0, 0)]
    [InlineData("bytes=-0", 416, 0, 0)]
    [InlineData("bytes=5-2", 200, 0, 9)]
    [InlineData("bytes=a-b", 200, 0, 9)]
    [InlineData("bytes=-", 200, 0, 9)]
    [InlineData("bytes=2", 200, 0, 9)]
    [InlineData("bytes=1-2,4-5", 200, 0, 9)]
    [InlineData("bytes=1-2,", 200, 0, 9)]
    [InlineData("bytes 0-1", 200, 0, 9)]
    [InlineData("items=0-1", 200, 0, 9)]
    [InlineData("bytes=+1-2", 200, 0, 9)]
    [InlineData("bytes=0x1-2", 200, 0, 9)]
    public async Task Get_WithRange_HonoursOneValidRange(string range, int status, int first, int last)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v2/{RegistryFixture.Repository}/blobs/{fixture.SmallDigest}");
        Assert.True(request.Headers.TryAddWithoutValidation("Range", range));

        using var response = await _client.SendAsync(request);

        Assert.Equal(status, (int)response.StatusCode);
        RegistryAssert.ApiVersion(response);
        switch (status)
        {
            case 206:
                Assert.Equal($"bytes {first}-{last}/10", RegistryAssert.Header(response, "Content-Range"));
                Assert.Equal(fixture.SmallBlob[first..(last + 1)], await response.Content.ReadAsByteArrayAsync());
                break;
            case 416:
                Assert.Equal("bytes */10", RegistryAssert.Header(response, "Content-Range"));
                await RegistryAssert.ErrorAsync(response, HttpStatusCode.RequestedRangeNotSatisfiable, "RANGE_INVALID");
                break;
            default:
                Assert.False(response.Content.Headers.Contains("Content-Range"));
                Assert.Equal(fixture.SmallBlob, await response.Content.ReadAsByteArrayAsync());
                break;
        }
    }

    [Theory]
    [InlineData(0L, 131071L)]
    [InlineData(131000L, 262200L)]
    [InlineData(307199L, null)]
    [InlineData(100L, null)]
    public async Task Get_RangeOfFileBlob_StreamsTheSlice(long first, long? last)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v2/{RegistryFixture.Repository}/blobs/{fixture.FileDigest}");
        request.Headers.Range = new RangeHeaderValue(first, last);

        using var response = await _client.SendAsync(request);

        var end = last ?? fixture.FileBlob.Length - 1;
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal($"bytes {first}-{end}/{fixture.FileBlob.Length}", RegistryAssert.Header(response, "Content-Range"));
        Assert.Equal(end - first + 1, response.Content.Headers.ContentLength);
        Assert.Equal(fixture.FileBlob[(int)first..(int)(end + 1)], await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Head_WithRange_IgnoresTheRange()
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, $"v2/{RegistryFixture.Repository}/blobs/{fixture.SmallDigest}");
        request.Headers.Range = new RangeHeaderValue(2, 4);

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(10, response.Content.Headers.ContentLength);
    }

    [Theory]
    [InlineData("\"{digest}\"", HttpStatusCode.PartialContent)]
    [InlineData("\"sha256:0000000000000000000000000000000000000000000000000000000000000000\"", HttpStatusCode.OK)]
    [InlineData("Wed, 21 Oct 2015 07:28:00 GMT", HttpStatusCode.OK)]
    public async Task Get_WithIfRange_SendsTheRangeOnlyForTheCurrentETag(string ifRange, HttpStatusCode status)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v2/{RegistryFixture.Repository}/blobs/{fixture.SmallDigest}");
        request.Headers.Range = new RangeHeaderValue(2, 4);
        Assert.True(request.Headers.TryAddWithoutValidation("If-Range", ifRange.Replace("{digest}", fixture.SmallDigest.ToString())));

        using var response = await _client.SendAsync(request);

        Assert.Equal(status, response.StatusCode);
    }

    [Fact]
    public async Task Get_ManifestDigest_IsBlobUnknown_AsInTheReferenceRegistry()
    {
        // docker-registry links manifests apart from layers: a blob request for a manifest's digest is 404, and a
        // client that fetched a manifest from /blobs/ here would pass its tests and fail in production.
        using var response = await _client.GetAsync($"v2/{RegistryFixture.Repository}/blobs/{fixture.ManifestDigest}");

        await RegistryAssert.ErrorAsync(response, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
    }

    [Theory]
    [InlineData("GET", "a/b/c", "sha256:0000000000000000000000000000000000000000000000000000000000000000", HttpStatusCode.NotFound, "BLOB_UNKNOWN")]
    [InlineData("GET", "a/b/c", "{other}", HttpStatusCode.NotFound, "BLOB_UNKNOWN")]
    [InlineData("GET", "no/such/repo", "{small}", HttpStatusCode.NotFound, "NAME_UNKNOWN")]
    [InlineData("GET", "a/b/c", "latest", HttpStatusCode.BadRequest, "DIGEST_INVALID")]
    [InlineData("GET", "a/b/c", "sha256:xyz", HttpStatusCode.BadRequest, "DIGEST_INVALID")]
    [InlineData("GET", "a/b/c", "sha256:ABCDEF0000000000000000000000000000000000000000000000000000000000", HttpStatusCode.BadRequest, "DIGEST_INVALID")]
    [InlineData("GET", "a/b/c", "sha384:0000", HttpStatusCode.BadRequest, "DIGEST_INVALID")]
    [InlineData("GET", "a/b/c", "sha256%3A..%2F..%2Fetc%2Fpasswd", HttpStatusCode.BadRequest, "DIGEST_INVALID")]
    [InlineData("GET", "UPPER", "{small}", HttpStatusCode.BadRequest, "NAME_INVALID")]
    [InlineData("GET", "a..b", "{small}", HttpStatusCode.BadRequest, "NAME_INVALID")]
    public async Task Get_BadOrUnknownBlob_ReturnsSpecError(string method, string name, string digest, HttpStatusCode status, string code)
    {
        digest = digest.Replace("{small}", fixture.SmallDigest.ToString()).Replace("{other}", fixture.OtherDigest.ToString());
        using var request = new HttpRequestMessage(new HttpMethod(method), $"v2/{name}/blobs/{digest}");

        using var response = await _client.SendAsync(request);

        await RegistryAssert.ErrorAsync(response, status, code);
    }

    [Fact]
    public async Task Get_BlobOfOtherRepository_IsServedThere()
    {
        using var response = await _client.GetAsync($"v2/{RegistryFixture.OtherRepository}/blobs/{fixture.OtherDigest}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Get_ManyBlobsInParallel_ServesEveryOneIntact()
    {
        var requests = Enumerable.Range(0, 32).Select(async i =>
        {
            var (digest, content) = i % 2 == 0 ? (fixture.FileDigest, fixture.FileBlob) : (fixture.SmallDigest, fixture.SmallBlob);
            var body = await _client.GetByteArrayAsync($"v2/{RegistryFixture.Repository}/blobs/{digest}");
            Assert.Equal(content.Length, body.Length);
            Assert.Equal(digest, Digest.Compute(body));
        });

        await Task.WhenAll(requests);
    }
}
