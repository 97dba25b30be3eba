using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading.Tasks;
using OciRegistry.Core.Client;

namespace OciRegistry.Core.Tests.Client;

public sealed class CatalogTests
{
    [Fact]
    public async Task ListRepositoriesAsync_Pages_AreFollowedWithTheirParameters()
    {
        var network = new FakeNetwork(request => request.RequestUri!.Query switch
        {
            "?n=2" => FakeNetwork.Json("""{"repositories":["a/one","b"]}""").With("Link", "</v2/_catalog?last=b&n=2>; rel=\"next\""),
            "?last=b&n=2" => FakeNetwork.Json("""{"repositories":["c/three"]}"""),
            _ => FakeNetwork.Text(500, "unexpected " + request.RequestUri),
        });
        using var client = network.Client();

        var names = await client.ListRepositoriesAsync(pageSize: 2).ToListAsync();

        Assert.Equal(["a/one", "b", "c/three"], names);
        Assert.Equal(["/v2/_catalog?n=2", "/v2/_catalog?last=b&n=2"], network.Requests.Select(r => r.PathAndQuery));
    }

    [Fact]
    public async Task ListRepositoriesAsync_InvalidNames_AreSkippedWithAWarning()
    {
        var warnings = new ConcurrentQueue<string>();
        using var client = new FakeNetwork(_ => FakeNetwork.Json("""{"repositories":["ok/name","../escape","UPPER","with\u001bescape",7,null]}""")).Client(o => o.Warning = warnings.Enqueue);

        var names = await client.ListRepositoriesAsync().ToListAsync();

        Assert.Equal(["ok/name"], names);
        Assert.Equal(3, warnings.Count);
        Assert.DoesNotContain(warnings, w => w.Contains('\u001b', StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"repositories":null}""")]
    [InlineData("""{"repositories":[]}""")]
    public async Task ListRepositoriesAsync_EmptyCatalog_IsEmpty(string body)
    {
        using var client = new FakeNetwork(_ => FakeNetwork.Json(body)).Client();

        Assert.Empty(await client.ListRepositoriesAsync().ToListAsync());
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[\"a\"]")]
    public async Task ListRepositoriesAsync_Malformed_FailsCleanly(string body)
    {
        using var client = new FakeNetwork(_ => FakeNetwork.Json(body)).Client();

        await Assert.ThrowsAsync<OciException>(() => client.ListRepositoriesAsync().ToListAsync().AsTask());
    }

    [Fact]
    public async Task ListRepositoriesAsync_LinkToAnotherHost_IsNotFollowedAndSaysTheListIsIncomplete()
    {
        var network = new FakeNetwork(_ => FakeNetwork.Json("""{"repositories":["a"]}""").With("Link", "<https://evil.example/v2/_catalog?last=a>; rel=\"next\""));
        using var client = network.Client();

        var e = await Assert.ThrowsAsync<OciException>(() => client.ListRepositoriesAsync().ToListAsync().AsTask());

        Assert.Contains("another origin (https://evil.example)", e.Message, StringComparison.Ordinal);
        Assert.Single(network.Requests);
    }

    [Fact]
    public async Task ListRepositoriesAsync_Challenge_AsksForTheCatalogScope()
    {
        var network = new FakeNetwork(request => request.RequestUri!.Host == "auth.example"
            ? FakeNetwork.Json("""{"token":"t"}""")
            : request.Headers.Authorization is null
                ? FakeNetwork.Text(401, "no").With("WWW-Authenticate", "Bearer realm=\"https://auth.example/token\",service=\"reg\"")
                : FakeNetwork.Json("""{"repositories":["a"]}"""));
        using var client = network.Client();

        await client.ListRepositoriesAsync().ToListAsync();

        Assert.Contains("scope=registry%3Acatalog%3A%2A", network.Requests.Single(r => r.Uri.Host == "auth.example").Uri.Query, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("404 page not found")]
    [InlineData("{\"errors\":[{\"code\":\"NOT_FOUND\",\"message\":\"no such endpoint\"}]}")]
    public async Task ListRepositoriesAsync_NoCatalog_IsCatalogUnavailable(string body)
    {
        using var client = new FakeNetwork(_ => FakeNetwork.Text(404, body)).Client();

        var e = await Assert.ThrowsAsync<CatalogUnavailableException>(() => client.ListRepositoriesAsync().ToListAsync().AsTask());

        Assert.Equal(FakeNetwork.Registry, e.Registry);
        Assert.IsType<RegistryResponseException>(e.InnerException);
    }

    [Fact]
    public async Task ListRepositoriesAsync_Refused_IsAnAuthenticationError()
    {
        using var client = new FakeNetwork(_ => FakeNetwork.Error(401, "UNAUTHORIZED", "authentication required")).Client();

        await Assert.ThrowsAsync<RegistryAuthenticationException>(() => client.ListRepositoriesAsync().ToListAsync().AsTask());
    }
}
