using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using OciRegistry.Core.Client;
using OciRegistry.TestRegistry;

namespace OciRegistry.Core.Tests.TestRegistry;

/// <summary>
/// In bearer mode, <c>/v2/_catalog</c> lists what the token may see: the repositories it grants pull on, or all of
/// them for a token with the <c>registry:catalog:*</c> scope (what clients ask for to list a registry).
/// </summary>
public sealed class CatalogScopeTests
{
    private static readonly NetworkCredential Account = new("lister", "secret");
    private static readonly string[] Names = ["other/c", "team/a", "team/b"];

    [Fact]
    public async Task Catalog_TokenForSomeRepositories_ListsOnlyThose()
    {
        using var server = await StartAsync(new TestRegistryOptions { Authentication = TestRegistryAuthMode.Bearer, Credential = Account });
        using var http = new HttpClient { BaseAddress = server.Url };
        var token = await TokenAsync(http, Basic(), "repository:team/a:pull", "repository:other/c:pull", "repository:team/b:push");

        Assert.Equal(["other/c", "team/a"], await CatalogAsync(http, token, string.Empty));
    }

    [Fact]
    public async Task Catalog_AnonymousTokenForOneRepository_ListsOnlyIt()
    {
        using var server = await StartAsync(new TestRegistryOptions { Authentication = TestRegistryAuthMode.Bearer, AllowAnonymousPull = true });
        using var http = new HttpClient { BaseAddress = server.Url };
        var token = await TokenAsync(http, null, "repository:team/b:pull");

        Assert.Equal(["team/b"], await CatalogAsync(http, token, string.Empty));
    }

    [Fact]
    public async Task Catalog_ScopedToken_PagesThroughWhatItMaySeeOnly()
    {
        using var server = await StartAsync(new TestRegistryOptions { Authentication = TestRegistryAuthMode.Bearer, Credential = Account });
        using var http = new HttpClient { BaseAddress = server.Url };
        var token = await TokenAsync(http, Basic(), "repository:other/c:pull", "repository:team/b:pull");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/_catalog?n=1");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        using var first = await http.SendAsync(request);
        Assert.Equal(["other/c"], Repositories(await first.Content.ReadAsStringAsync()));
        Assert.Equal("</v2/_catalog?n=1&last=other%2Fc>; rel=\"next\"", RegistryAssert.Header(first, "Link"));
        Assert.Equal(["team/b"], await CatalogAsync(http, token, "?n=1&last=other%2Fc"));
    }

    [Fact]
    public async Task Catalog_TokenWithTheCatalogScope_ListsEverything()
    {
        using var server = await StartAsync(new TestRegistryOptions { Authentication = TestRegistryAuthMode.Bearer, Credential = Account });
        using var http = new HttpClient { BaseAddress = server.Url };
        var token = await TokenAsync(http, Basic(), "registry:catalog:*");

        Assert.Equal(Names, await CatalogAsync(http, token, string.Empty));
    }

    [Fact]
    public async Task ListRepositoriesAsync_AgainstABearerRegistry_ListsEverything()
    {
        using var server = await StartAsync(new TestRegistryOptions { Authentication = TestRegistryAuthMode.Bearer, Credential = Account });
        using var client = new RegistryClient(server.Host, new ClientOptions { Credential = RegistryCredential.FromPassword(Account.UserName, Account.Password), UseDockerConfig = false });

        var listed = new List<string>();
        await foreach (var name in client.ListRepositoriesAsync())
        {
            listed.Add(name);
        }

        Assert.Equal(Names, listed);
    }

    [Fact]
    public async Task Catalog_Anonymous_StillListsEverything()
    {
        using var server = await StartAsync(new TestRegistryOptions());
        using var http = new HttpClient { BaseAddress = server.Url };

        Assert.Equal(Names, await CatalogAsync(http, null, string.Empty));
    }

    private static async Task<TestRegistryServer> StartAsync(TestRegistryOptions options)
    {
        var server = await TestRegistryServer.StartAsync(options);
        foreach (var name in Names)
        {
            server.Content.AddBlob(name, Encoding.UTF8.GetBytes(name));
        }

        return server;
    }

    private static string Basic() => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(Account.UserName + ":" + Account.Password));

    private static async Task<string> TokenAsync(HttpClient http, string? authorization, params string[] scopes)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/token?" + string.Join("&", scopes.Select(s => "scope=" + Uri.EscapeDataString(s))));
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString()!;
    }

    private static async Task<string[]> CatalogAsync(HttpClient http, string? token, string query)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/_catalog" + query);
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        }

        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Repositories(await response.Content.ReadAsStringAsync());
    }

    private static string[] Repositories(string json) =>
        [.. JsonDocument.Parse(json).RootElement.GetProperty("repositories").EnumerateArray().Select(e => e.GetString()!)];
}
