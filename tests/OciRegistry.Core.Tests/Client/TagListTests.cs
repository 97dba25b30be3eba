using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using OciRegistry.Core.Client;
using OciRegistry.Core.References;
using OciRegistry.Core.Tests.Support;

namespace OciRegistry.Core.Tests.Client;

/// <summary>Tag listing and its RFC 8288 <c>Link</c> pagination.</summary>
public sealed class TagListTests
{
    [Fact]
    public async Task ListTagsAsync_LinkedPages_FollowsEveryPage()
    {
        var stub = new StubHandler(request => request.RequestUri!.Query switch
        {
            "?n=2" => Page("a", "b").WithHeader("Link", "</v2/team/app/tags/list?n=2&last=b>; rel=\"next\""),
            "?n=2&last=b" => Page("c", "d").WithHeader("Link", "<https://registry.example/v2/team/app/tags/list?n=2&last=d>; rel=next"),
            "?n=2&last=d" => Page("e"),
            var other => throw new InvalidOperationException("unexpected query " + other),
        });
        using var client = TestClient.Create(stub);

        var tags = await Collect(client.ListTagsAsync("team/app", pageSize: 2));

        Assert.Equal(["a", "b", "c", "d", "e"], tags);
        Assert.Equal(3, stub.Requests.Count);
        Assert.Equal("2", stub.Requests[0].Query["n"]);
        Assert.Equal("b", stub.Requests[1].Query["last"]);
    }

    [Fact]
    public async Task ListTagsAsync_NoPageSize_SendsNoN()
    {
        var stub = new StubHandler(_ => Page("latest"));
        using var client = TestClient.Create(stub);

        var tags = await Collect(client.ListTagsAsync("team/app"));

        Assert.Equal(["latest"], tags);
        Assert.Equal("https://registry.example/v2/team/app/tags/list", Assert.Single(stub.Requests).Uri.AbsoluteUri);
    }

    [Theory]
    [InlineData("</v2/team/app/tags/list?last=b>; rel=\"prev\"")]
    [InlineData("</v2/team/app/tags/list?last=b>; rel=\"nextish\"")]
    [InlineData("</v2/team/app/tags/list?last=b>")]
    [InlineData("</v2/team/app/tags/list?last=b>; rel=\"prev\"; rel=\"next\"")]
    public async Task ListTagsAsync_LinkThatIsNotNext_IsNotFollowed(string link)
    {
        var stub = new StubHandler(_ => Page("a", "b").WithHeader("Link", link));
        using var client = TestClient.Create(stub);

        var tags = await Collect(client.ListTagsAsync("team/app"));

        Assert.Equal(["a", "b"], tags);
        Assert.Single(stub.Requests);
    }

    [Theory]
    [InlineData("<https://evil.example/v2/team/app/tags/list?last=b>; rel=\"next\"", "another origin (https://evil.example)")]
    [InlineData("<https://registry.example:444/v2/team/app/tags/list?last=b>; rel=\"next\"", "another origin (https://registry.example:444)")]
    [InlineData("<http://registry.example/v2/team/app/tags/list?last=b>; rel=\"next\"", "another origin (http://registry.example)")]
    [InlineData("/v2/team/app/tags/list?last=b; rel=\"next\"", "malformed Link header")]
    [InlineData("</v2/team/app/tags/list?last=b; rel=\"next\"", "malformed Link header")]
    [InlineData("</v2/team/app/tags/list?last=b>; rel=\"next", "malformed Link header")]
    [InlineData("<ftp://registry.example/list>; rel=next", "not a usable URL")]
    public async Task ListTagsAsync_NextLinkThatCannotBeFollowed_FailsRatherThanEndingShort(string link, string expected)
    {
        var stub = new StubHandler(_ => Page("a", "b").WithHeader("Link", link));
        using var client = TestClient.Create(stub);
        var seen = new List<string>();

        var e = await Assert.ThrowsAsync<OciException>(async () =>
        {
            await foreach (var tag in client.ListTagsAsync("team/app"))
            {
                seen.Add(tag);
            }
        });

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Contains("incomplete", e.Message, StringComparison.Ordinal);
        Assert.Single(stub.Requests);
    }

    [Theory]
    [InlineData("</v2/team/app/tags/list?last=0>; rel=\"prev\", </v2/team/app/tags/list?last=a>; rel=\"next\"")]
    [InlineData("</v2/team/app/tags/list?last=0>; title=\"page, one\"; rel=\"prev\", </v2/team/app/tags/list?last=a>; rel=\"last NEXT\"")]
    public async Task ListTagsAsync_SeveralLinks_FollowsTheNextOne(string link)
    {
        var stub = StubHandler.Sequence(_ => Page("a").WithHeader("Link", link), _ => Page("b"));
        using var client = TestClient.Create(stub);

        var tags = await Collect(client.ListTagsAsync("team/app"));

        Assert.Equal(["a", "b"], tags);
        Assert.Equal("a", stub.Requests[1].Query["last"]);
    }

    [Fact]
    public async Task ListTagsAsync_LinkLoop_StopsWithOciException()
    {
        var stub = new StubHandler(request => request.RequestUri!.Query == "?n=1"
            ? Page("a").WithHeader("Link", "</v2/team/app/tags/list?n=1&last=a>; rel=\"next\"")
            : Page("b").WithHeader("Link", "</v2/team/app/tags/list?n=1>; rel=\"next\""));
        using var client = TestClient.Create(stub);
        var seen = new List<string>();

        var e = await Assert.ThrowsAsync<OciException>(async () =>
        {
            await foreach (var tag in client.ListTagsAsync("team/app", pageSize: 1))
            {
                seen.Add(tag);
            }
        });

        Assert.Contains("pages already read", e.Message, StringComparison.Ordinal);
        Assert.Equal(["a", "b"], seen);
        Assert.Equal(2, stub.Requests.Count);
    }

    [Theory]
    [InlineData("<>; rel=\"next\"")]
    [InlineData("<https://registry.example/v2/team/app/tags/list>; rel=\"next\"")]
    public async Task ListTagsAsync_LinkToTheSamePage_StopsWithOciException(string link)
    {
        var stub = new StubHandler(_ => Page("a").WithHeader("Link", link));
        using var client = TestClient.Create(stub);

        await Assert.ThrowsAsync<OciException>(() => Collect(client.ListTagsAsync("team/app")));

        Assert.Single(stub.Requests);
    }

    [Theory]
    [InlineData("""{"name":"team/app","tags":null}""")]
    [InlineData("""{"name":"team/app"}""")]
    [InlineData("""{"name":"team/app","tags":[]}""")]
    public async Task ListTagsAsync_NoTags_IsEmpty(string body)
    {
        var stub = new StubHandler(_ => Responses.Json(body));
        using var client = TestClient.Create(stub);

        Assert.Empty(await Collect(client.ListTagsAsync("team/app")));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[\"a\"]")]
    [InlineData("{\"tags\":[\"\\uD800\"]}")]
    [InlineData("")]
    public async Task ListTagsAsync_MalformedBody_ThrowsOciException(string body)
    {
        var stub = new StubHandler(_ => Responses.Json(body));
        using var client = TestClient.Create(stub);

        await Assert.ThrowsAsync<OciException>(() => Collect(client.ListTagsAsync("team/app")));
    }

    [Theory]
    [InlineData("Team/App")]
    [InlineData("")]
    [InlineData("a//b")]
    [InlineData("../x")]
    public async Task ListTagsAsync_InvalidRepository_ThrowsBeforeAnyRequest(string repository)
    {
        var stub = new StubHandler(_ => Page("a"));
        using var client = TestClient.Create(stub);

        await Assert.ThrowsAsync<InvalidReferenceException>(() => Collect(client.ListTagsAsync(repository)));

        Assert.Empty(stub.Requests);
    }

    [Fact]
    public async Task ListTagsAsync_UnknownRepository_ThrowsNotFound()
    {
        var stub = new StubHandler(_ => Responses.Error(404, "NAME_UNKNOWN", "repository name not known to registry"));
        using var client = TestClient.Create(stub);

        var e = await Assert.ThrowsAsync<RegistryResponseException>(() => Collect(client.ListTagsAsync("team/app")));

        Assert.True(e.IsNotFound);
    }

    [Fact]
    public async Task ListTagsAsync_BearerChallenge_AsksForThePullScopeOfTheRepository()
    {
        var stub = new StubHandler(request => request.RequestUri!.Host == "auth.example"
            ? Responses.Json("""{"token":"t1"}""")
            : request.Headers.Authorization is null
                ? Responses.Challenge("Bearer realm=\"https://auth.example/token\",service=\"registry.example\"")
                : Page("a"));
        using var client = TestClient.Create(stub);

        Assert.Equal(["a"], await Collect(client.ListTagsAsync("team/app")));

        Assert.Equal("repository:team/app:pull", stub.Requests.Single(r => r.Uri.Host == "auth.example").Query["scope"]);
    }

    private static HttpResponseMessage Page(params string[] tags) =>
        Responses.Json("{\"name\":\"team/app\",\"tags\":[" + string.Join(",", tags.Select(t => "\"" + t + "\"")) + "]}");

    private static async Task<List<string>> Collect(IAsyncEnumerable<string> tags)
    {
        var list = new List<string>();
        await foreach (var tag in tags)
        {
            list.Add(tag);
        }

        return list;
    }
}
