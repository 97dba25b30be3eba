using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace OciRegistry.Core.Tests.TestRegistry;

public sealed class TagListEndpointTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>
{
    private readonly HttpClient _client = fixture.Client;

    [Fact]
    public async Task Get_WithoutParameters_ListsAllTagsInOrdinalOrder()
    {
        using var response = await _client.GetAsync($"v2/{RegistryFixture.TaggedRepository}/tags/list");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        RegistryAssert.ApiVersion(response);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(response.Headers.Contains("Link"));
        var (name, tags) = await ReadAsync(response);
        Assert.Equal(RegistryFixture.TaggedRepository, name);
        Assert.Equal(RegistryFixture.Tags, tags);
    }

    [Theory]
    [InlineData("n=3", new[] { "1.0", "A", "_x" }, "</v2/many/tags/tags/list?n=3&last=_x>; rel=\"next\"")]
    [InlineData("n=3&last=_x", new[] { "a", "b", "c" }, "</v2/many/tags/tags/list?n=3&last=c>; rel=\"next\"")]
    [InlineData("n=2&last=e", new[] { "latest", "v1.0-rc" }, null)]
    [InlineData("n=10", new[] { "1.0", "A", "_x", "a", "b", "c", "d", "e", "latest", "v1.0-rc" }, null)]
    [InlineData("n=99999999999999", new[] { "1.0", "A", "_x", "a", "b", "c", "d", "e", "latest", "v1.0-rc" }, null)]
    [InlineData("n=0", new string[0], null)]
    [InlineData("n=0&last=a", new string[0], null)]
    [InlineData("last=d", new[] { "e", "latest", "v1.0-rc" }, null)]
    [InlineData("last=c0", new[] { "d", "e", "latest", "v1.0-rc" }, null)]
    [InlineData("last=zzz", new string[0], null)]
    [InlineData("last=", new[] { "1.0", "A", "_x", "a", "b", "c", "d", "e", "latest", "v1.0-rc" }, null)]
    [InlineData("n=1&n=5", new[] { "1.0" }, "</v2/many/tags/tags/list?n=1&last=1.0>; rel=\"next\"")]
    public async Task Get_WithPagination_ReturnsThePageAndNextLink(string query, string[] expected, string? link)
    {
        using var response = await _client.GetAsync($"v2/{RegistryFixture.TaggedRepository}/tags/list?{query}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, (await ReadAsync(response)).Tags);
        Assert.Equal(link, response.Headers.TryGetValues("Link", out var values) ? Assert.Single(values) : null);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task Get_FollowingLinks_VisitsEveryTagOnce(int pageSize)
    {
        var seen = new List<string>();
        var next = $"v2/{RegistryFixture.TaggedRepository}/tags/list?n={pageSize}";
        for (var pages = 0; next is not null; pages++)
        {
            Assert.True(pages < 20, "the pagination does not end");
            using var response = await _client.GetAsync(next);
            var page = (await ReadAsync(response)).Tags;
            Assert.True(page.Count <= pageSize);
            seen.AddRange(page);
            next = response.Headers.TryGetValues("Link", out var links) ? Assert.Single(links).Split('<', '>')[1].TrimStart('/') : null;
        }

        Assert.Equal(RegistryFixture.Tags, seen);
    }

    [Fact]
    public async Task Get_EscapedLast_IsUnescapedBeforeComparing()
    {
        using var response = await _client.GetAsync($"v2/{RegistryFixture.TaggedRepository}/tags/list?n=10&last=%5Fx");

        Assert.Equal(["a", "b", "c", "d", "e", "latest", "v1.0-rc"], (await ReadAsync(response)).Tags);
    }

    [Theory]
    [InlineData("n=-1")]
    [InlineData("n=abc")]
    [InlineData("n=1.5")]
    [InlineData("n=")]
    [InlineData("n")]
    [InlineData("n=+1")]
    [InlineData("n=%201")]
    public async Task Get_InvalidN_ReturnsPaginationNumberInvalid(string query)
    {
        using var response = await _client.GetAsync($"v2/{RegistryFixture.TaggedRepository}/tags/list?{query}");

        await RegistryAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "PAGINATION_NUMBER_INVALID");
    }

    [Fact]
    public async Task Get_RepositoryWithOnlyBlobs_ReturnsEmptyList()
    {
        using var response = await _client.GetAsync($"v2/{RegistryFixture.BlobOnlyRepository}/tags/list");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty((await ReadAsync(response)).Tags);
    }

    [Theory]
    [InlineData("no/such/repo", HttpStatusCode.NotFound, "NAME_UNKNOWN")]
    [InlineData("Bad/Name", HttpStatusCode.BadRequest, "NAME_INVALID")]
    [InlineData("", HttpStatusCode.BadRequest, "NAME_INVALID")]
    public async Task Get_BadOrUnknownRepository_ReturnsSpecError(string name, HttpStatusCode status, string code)
    {
        using var response = await _client.GetAsync($"v2/{name}/tags/list");

        await RegistryAssert.ErrorAsync(response, status, code);
    }

    [Fact]
    public async Task Head_TagList_ReturnsHeadersWithoutBody()
    {
        using var response = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"v2/{RegistryFixture.TaggedRepository}/tags/list"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Content.Headers.ContentLength > 0);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    private static async Task<(string Name, List<string> Tags)> ReadAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
        var root = document.RootElement;
        return (root.GetProperty("name").GetString()!, root.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).ToList());
    }
}
