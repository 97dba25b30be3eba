using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using OciRegistry.TestRegistry;
using OciRegistry.Core.Tests.Support;

namespace OciRegistry.Core.Tests.TestRegistry;

/// <summary>The test registry's play of Docker Hub's pull rate limit: what counts, what it says, when it resets.</summary>
public sealed class PullRateLimitTests
{
    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : "(none)";

    [Fact]
    public async Task ManifestGets_AreCounted_HeadsAreNot_AndTheWindowResets()
    {
        var clock = new ManualTimeProvider { FireTimers = false };
        await using var registry = await RegistryUnderTest.StartAsync(new TestRegistryOptions { RateLimit = 2, RateLimitWindow = TimeSpan.FromMinutes(1), TimeProvider = clock });
        var url = registry.ManifestPath;

        using (var head = await registry.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, url)))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal("2;w=60", Header(head, "ratelimit-limit"));
            Assert.Equal("2;w=60", Header(head, "ratelimit-remaining"));
            Assert.Equal("127.0.0.1", Header(head, "docker-ratelimit-source"));
        }

        using (var first = await registry.Http.GetAsync(url))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.Equal("1;w=60", Header(first, "ratelimit-remaining"));
        }

        using (var second = await registry.Http.GetAsync(url))
        {
            Assert.Equal("0;w=60", Header(second, "ratelimit-remaining"));
        }

        clock.Advance(TimeSpan.FromSeconds(20));
        using (var refused = await registry.Http.GetAsync(url))
        {
            Assert.Equal((HttpStatusCode)429, refused.StatusCode);
            Assert.Equal("40", Header(refused, "Retry-After"));
            Assert.Contains("TOOMANYREQUESTS", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Blobs are not manifests: neither counted nor refused.
        using (var blob = await registry.Http.GetAsync(registry.BlobPath))
        {
            Assert.Equal(HttpStatusCode.OK, blob.StatusCode);
            Assert.Equal("(none)", Header(blob, "ratelimit-remaining"));
        }

        clock.Advance(TimeSpan.FromSeconds(41));
        using var again = await registry.Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("1;w=60", Header(again, "ratelimit-remaining"));
    }

    [Fact]
    public async Task WithoutALimit_NoHeadersAreSent()
    {
        await using var registry = await RegistryUnderTest.StartAsync();

        using var response = await registry.Http.GetAsync(registry.ManifestPath);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("ratelimit", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData(-1, 60)]
    [InlineData(10, 0.5)]
    public async Task ALimitThatCannotWork_IsRefusedAtStart(int limit, double windowSeconds) =>
        await Assert.ThrowsAsync<ArgumentException>(() => TestRegistryServer.StartAsync(new TestRegistryOptions { RateLimit = limit, RateLimitWindow = TimeSpan.FromSeconds(windowSeconds) }));
}
