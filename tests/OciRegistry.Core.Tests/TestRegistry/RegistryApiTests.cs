using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace OciRegistry.Core.Tests.TestRegistry;

/// <summary>The version check, unknown paths, and the methods a read-only registry refuses.</summary>
public sealed class RegistryApiTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>
{
    private readonly HttpClient _client = fixture.Client;

    [Theory]
    [InlineData("v2/")]
    [InlineData("v2")]
    public async Task Get_Base_ReturnsEmptyJsonObject(string path)
    {
        using var response = await _client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        RegistryAssert.ApiVersion(response);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("{}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Head_Base_ReturnsHeadersWithoutBody()
    {
        using var response = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "v2/"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        RegistryAssert.ApiVersion(response);
        Assert.Equal(2, response.Content.Headers.ContentLength);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("")]
    [InlineData("v1/")]
    [InlineData("favicon.ico")]
    [InlineData("v2/a/b/c/nothing/here")]
    [InlineData("v2/a/b/c/manifests/")]
    [InlineData("v2/a/b/c/blobs/")]
    [InlineData("v2/a/b/c/tags/list/more")]
    public async Task Get_UnknownPath_Returns404WithErrorBody(string path)
    {
        using var response = await _client.GetAsync(path);

        await RegistryAssert.ErrorAsync(response, HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Theory]
    [InlineData("PUT", "v2/a/b/c/manifests/v1")]
    [InlineData("DELETE", "v2/a/b/c/manifests/v1")]
    [InlineData("POST", "v2/a/b/c/manifests/v1")]
    [InlineData("PATCH", "v2/a/b/c/manifests/v1")]
    [InlineData("PUT", "v2/a/b/c/blobs/{small}")]
    [InlineData("DELETE", "v2/a/b/c/blobs/{small}")]
    [InlineData("PATCH", "v2/a/b/c/blobs/{small}")]
    [InlineData("POST", "v2/a/b/c/tags/list")]
    [InlineData("DELETE", "v2/")]
    [InlineData("OPTIONS", "v2/")]
    public async Task Send_WriteMethod_Returns405Unsupported(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{small}", fixture.SmallDigest.ToString()))
        {
            Content = method is "PUT" or "POST" or "PATCH" ? new ByteArrayContent([1, 2, 3]) : null,
        };

        using var response = await _client.SendAsync(request);

        await RegistryAssert.ErrorAsync(response, HttpStatusCode.MethodNotAllowed, "UNSUPPORTED");
        Assert.Equal(["GET", "HEAD"], response.Content.Headers.Allow);
    }

    [Theory]
    [InlineData("POST", "v2/a/b/c/blobs/uploads/")]
    [InlineData("POST", "v2/new/repo/blobs/uploads/?digest=sha256:0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("PATCH", "v2/a/b/c/blobs/uploads/6e4e0e5c-3f0e-4a44-9f1b-1a2b3c4d5e6f")]
    [InlineData("PUT", "v2/a/b/c/blobs/uploads/6e4e0e5c?digest=sha256:0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("GET", "v2/a/b/c/blobs/uploads/6e4e0e5c")]
    public async Task Send_BlobUpload_Returns405Unsupported(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "GET" ? null : new ByteArrayContent([]) };

        using var response = await _client.SendAsync(request);

        await RegistryAssert.ErrorAsync(response, HttpStatusCode.MethodNotAllowed, "UNSUPPORTED");
    }

    [Fact]
    public async Task Get_WithLocalhostHost_IsAnswered()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "v2/");
        request.Headers.Host = "localhost:" + fixture.Server.Port;

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Get_WithSlashesInRepositoryName_FindsTheRepository()
    {
        using var response = await _client.GetAsync("v2/a/b/c/tags/list");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"v1\"", await response.Content.ReadAsStringAsync());
    }
}
