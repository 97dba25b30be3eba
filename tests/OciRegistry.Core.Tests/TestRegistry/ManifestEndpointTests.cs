using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;
using OciRegistry.TestRegistry;

namespace OciRegistry.Core.Tests.TestRegistry;

public sealed class ManifestEndpointTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>
{
    private readonly HttpClient _client = fixture.Client;

    [Theory]
    [InlineData("v1")]
    [InlineData("{digest}")]
    [InlineData("{escaped}")]
    public async Task Get_KnownReference_ReturnsExactBytesAndHeaders(string reference)
    {
        reference = reference.Replace("{digest}", fixture.ManifestDigest.ToString()).Replace("{escaped}", fixture.ManifestDigest.ToString().Replace(":", "%3A"));

        using var response = await _client.GetAsync($"v2/{RegistryFixture.Repository}/manifests/{reference}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        RegistryAssert.ApiVersion(response);
        Assert.Equal(MediaTypes.OciManifest, response.Content.Headers.ContentType?.ToString());
        Assert.Equal(fixture.ManifestDigest.ToString(), RegistryAssert.Header(response, "Docker-Content-Digest"));
        Assert.Equal($"\"{fixture.ManifestDigest}\"", RegistryAssert.Header(response, "ETag"));
        Assert.Equal(fixture.Manifest.Length, response.Content.Headers.ContentLength);
        Assert.Equal(fixture.Manifest, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Head_KnownTag_ReturnsHeadersWithoutBody()
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, $"v2/{RegistryFixture.Repository}/manifests/v1");

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        RegistryAssert.ApiVersion(response);
        Assert.Equal(MediaTypes.OciManifest, response.Content.Headers.ContentType?.ToString());
        Assert.Equal(fixture.ManifestDigest.ToString(), RegistryAssert.Header(response, "Docker-Content-Digest"));
        Assert.Equal(fixture.Manifest.Length, response.Content.Headers.ContentLength);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Head_ThenGet_ReusesTheConnection()
    {
        // A HEAD answered with a Content-Length and no body must not leave the connection expecting one.
        for (var i = 0; i < 3; i++)
        {
            using var head = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"v2/{RegistryFixture.Repository}/manifests/v1"));
            using var get = await _client.GetAsync($"v2/{RegistryFixture.Repository}/manifests/v1");
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal(fixture.Manifest, await get.Content.ReadAsByteArrayAsync());
        }
    }

    [Theory]
    [InlineData("docker", MediaTypes.DockerManifest)]
    [InlineData("1.0", MediaTypes.OciIndex)]
    [InlineData("latest", MediaTypes.OciIndex)]
    [InlineData("readme", MediaTypes.OciManifest)]
    public async Task Get_SampleTag_ServesTheManifestMediaType(string tag, string mediaType)
    {
        using var response = await _client.GetAsync($"v2/{SampleContent.Repository}/manifests/{tag}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.ToString());
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Digest.Compute(body).ToString(), RegistryAssert.Header(response, "Docker-Content-Digest"));
        Assert.Equal(mediaType, ManifestParser.Parse(body, mediaType).MediaType);
    }

    [Theory]
    [InlineData("GET", "a/b/c", "nope", HttpStatusCode.NotFound, "MANIFEST_UNKNOWN")]
    [InlineData("GET", "a/b/c", "sha256:0000000000000000000000000000000000000000000000000000000000000000", HttpStatusCode.NotFound, "MANIFEST_UNKNOWN")]
    [InlineData("HEAD", "a/b/c", "nope", HttpStatusCode.NotFound, "MANIFEST_UNKNOWN")]
    [InlineData("GET", "no/such/repo", "v1", HttpStatusCode.NotFound, "NAME_UNKNOWN")]
    [InlineData("GET", "no/such/repo", "{digest}", HttpStatusCode.NotFound, "NAME_UNKNOWN")]
    [InlineData("GET", "other", "{digest}", HttpStatusCode.NotFound, "MANIFEST_UNKNOWN")]
    [InlineData("GET", "A/b", "v1", HttpStatusCode.BadRequest, "NAME_INVALID")]
    [InlineData("GET", "a//b", "v1", HttpStatusCode.BadRequest, "NAME_INVALID")]
    [InlineData("GET", "-a", "v1", HttpStatusCode.BadRequest, "NAME_INVALID")]
    [InlineData("GET", "a_", "v1", HttpStatusCode.BadRequest, "NAME_INVALID")]
    [InlineData("GET", "a/b/c", "sha256:abc", HttpStatusCode.BadRequest, "DIGEST_INVALID")]
    [InlineData("GET", "a/b/c", "md5:d41d8cd98f00b204e9800998ecf8427e", HttpStatusCode.BadRequest, "DIGEST_INVALID")]
    [InlineData("GET", "a/b/c", "sha256:ABCDEF0000000000000000000000000000000000000000000000000000000000", HttpStatusCode.BadRequest, "DIGEST_INVALID")]
    // Neither a tag nor shaped like a digest: not found, as the spec says of a manifest that is not in the repository.
    [InlineData("GET", "a/b/c", ".hidden", HttpStatusCode.NotFound, "MANIFEST_UNKNOWN")]
    [InlineData("GET", "a/b/c", "-dash", HttpStatusCode.NotFound, "MANIFEST_UNKNOWN")]
    [InlineData("GET", "a/b/c", "{long}", HttpStatusCode.NotFound, "MANIFEST_UNKNOWN")]
    [InlineData("HEAD", "a/b/c", "-dash", HttpStatusCode.NotFound, "MANIFEST_UNKNOWN")]
    public async Task Send_BadOrUnknownReference_ReturnsSpecError(string method, string name, string reference, HttpStatusCode status, string code)
    {
        reference = reference.Replace("{digest}", fixture.ManifestDigest.ToString()).Replace("{long}", new string('t', 129));
        using var request = new HttpRequestMessage(new HttpMethod(method), $"v2/{name}/manifests/{reference}");

        using var response = await _client.SendAsync(request);

        if (method == "HEAD")
        {
            Assert.Equal(status, response.StatusCode);
            RegistryAssert.ApiVersion(response);
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        }
        else
        {
            await RegistryAssert.ErrorAsync(response, status, code);
        }
    }
}
