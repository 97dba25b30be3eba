using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.Client;
using OciRegistry.Core.References;
using OciRegistry.Core.Tests.Support;

namespace OciRegistry.Core.Tests.Client;

/// <summary>
/// Parallel requests that all need a token for one scope (the first pull, or after the token expired or was
/// revoked) share one token request; other scopes do not wait for it.
/// </summary>
public sealed class TokenRenewalTests
{
    private const string Challenge = "Bearer realm=\"https://auth.example/token\",service=\"registry.example\"";

    private readonly ConcurrentDictionary<string, bool> _valid = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _tokenScopes = new();
    private int _issued;
    private int _fetchingNow;
    private int _mostAtOnce;

    [Fact]
    public async Task ParallelFirstRequests_OneScope_ShareOneTokenRequest()
    {
        using var client = TestClient.Create(new StubHandler(RespondAsync));

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => client.GetManifestAsync(Reference.Parse(TestClient.Registry + "/team/app:1")))));

        Assert.Single(_tokenScopes);
    }

    [Fact]
    public async Task ParallelRequests_AfterTheTokenWasRevoked_ShareOneRenewal()
    {
        using var client = TestClient.Create(new StubHandler(RespondAsync));
        await client.GetManifestAsync(Reference.Parse(TestClient.Registry + "/team/app:1"));
        _valid.Clear();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => client.GetManifestAsync(Reference.Parse(TestClient.Registry + "/team/app:1")))));

        Assert.Equal(2, _tokenScopes.Count);
    }

    [Fact]
    public async Task ParallelRequests_TwoScopes_FetchTheirTokensAtTheSameTime()
    {
        using var client = TestClient.Create(new StubHandler(RespondAsync));

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => client.GetManifestAsync(Reference.Parse(TestClient.Registry + (i % 2 == 0 ? "/team/app:1" : "/team/tool:1"))))));

        Assert.Equal(["repository:team/app:pull", "repository:team/tool:pull"], _tokenScopes.OrderBy(s => s, StringComparer.Ordinal));
        Assert.Equal(2, _mostAtOnce);
    }

    private async Task<HttpResponseMessage> RespondAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri!.Host == "auth.example")
        {
            var now = Interlocked.Increment(ref _fetchingNow);
            InterlockedMax(ref _mostAtOnce, now);
            try
            {
                _tokenScopes.Enqueue(Uri.UnescapeDataString(request.RequestUri.Query.Split("scope=")[1]));

                // Long enough for every parallel request to have met its 401 meanwhile.
                await Task.Delay(TimeSpan.FromMilliseconds(300), cancellationToken);
                var token = "t" + Interlocked.Increment(ref _issued);
                _valid[token] = true;
                return Responses.Json($$"""{"token":"{{token}}","expires_in":300}""");
            }
            finally
            {
                Interlocked.Decrement(ref _fetchingNow);
            }
        }

        var auth = request.Headers.Authorization;
        return auth?.Scheme == "Bearer" && _valid.ContainsKey(auth.Parameter ?? string.Empty)
            ? Manifests.Response(Manifests.Oci())
            : Responses.Challenge(Challenge);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
