using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading.Tasks;
using OciRegistry.TestRegistry;

namespace OciRegistry.Core.Tests.TestRegistry;

public sealed class RequestLogTests
{
    private const string Secret = "s3cr3t-token-value";

    [Fact]
    public async Task Requests_RecordWhatTheClientSentAndGot()
    {
        await using var registry = await RegistryUnderTest.StartAsync();
        var before = DateTimeOffset.UtcNow;
        using var request = new HttpRequestMessage(HttpMethod.Get, registry.BlobPath + "?x=1&sig=abc")
        {
            Headers =
            {
                Range = new RangeHeaderValue(1048, null),
                Accept = { new MediaTypeWithQualityHeaderValue("application/octet-stream") },
                Authorization = new AuthenticationHeaderValue("Bearer", Secret),
            },
        };

        using var response = await registry.Http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();

        var entry = registry.Server.Requests.Single();
        Assert.InRange(entry.Time, before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal(TestRegistryOrigin.Registry, entry.Origin);
        Assert.Equal("GET", entry.Method);
        Assert.Equal(registry.BlobPath, entry.Path);
        Assert.Equal("x=1&sig=abc", entry.Query);
        Assert.Equal("bytes=1048-", entry.Range);
        Assert.Equal("application/octet-stream", entry.Accept);
        Assert.True(entry.HasAuthorization);
        Assert.Equal("Bearer", entry.AuthorizationScheme);
        Assert.Equal(206, entry.StatusCode);
        Assert.Equal(registry.Blob.Length - 1048, entry.BytesSent);
        Assert.Empty(entry.Faults);
        Assert.False(entry.Aborted);
        Assert.NotNull(entry.Duration);
        Assert.Contains("GET " + registry.BlobPath + "?x=1&sig=abc Range: bytes=1048- -> 206", entry.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requests_NeverHoldTheAuthorizationValue()
    {
        await using var registry = await RegistryUnderTest.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/") { Headers = { Authorization = new AuthenticationHeaderValue("Basic", Secret) } };
        (await registry.Http.SendAsync(request)).Dispose();

        var entry = registry.Server.Requests.Single();
        var texts = typeof(RequestLogEntry).GetProperties().Select(p => Convert.ToString(p.GetValue(entry), System.Globalization.CultureInfo.InvariantCulture)).Append(entry.ToString());

        Assert.Equal("Basic", entry.AuthorizationScheme);
        Assert.All(texts, text => Assert.DoesNotContain(Secret, text ?? string.Empty, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Requests_WithoutHeaders_AreNullAndFalse()
    {
        await using var registry = await RegistryUnderTest.StartAsync();

        using (var head = await registry.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, registry.ManifestPath)))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        }

        var entry = registry.Server.Requests.Single();
        Assert.Equal(("HEAD", (string?)null, (string?)null, false, (string?)null, 200, 0L), (entry.Method, entry.Query, entry.Range, entry.HasAuthorization, entry.AuthorizationScheme, entry.StatusCode, entry.BytesSent));
    }

    [Fact]
    public async Task Requests_AreLoggedBeforeTheClientSeesTheLastByte()
    {
        await using var registry = await RegistryUnderTest.StartAsync();

        for (var i = 0; i < 30; i++)
        {
            var body = await registry.Http.GetByteArrayAsync(registry.BlobPath);

            var entry = registry.Server.Requests.Last();
            Assert.Equal((200, (long)body.Length), (entry.StatusCode, entry.BytesSent));
        }

        Assert.Equal(30, registry.Server.Requests.Count);
    }

    [Fact]
    public async Task Clear_ForgetsEveryEntry_AndLaterRequestsAreLoggedInOrder()
    {
        await using var registry = await RegistryUnderTest.StartAsync();
        await registry.Http.GetByteArrayAsync(registry.ManifestPath);

        registry.Server.Requests.Clear();
        Assert.Empty(registry.Server.Requests);
        await registry.Http.GetByteArrayAsync(registry.ManifestPath);
        await registry.Http.GetByteArrayAsync(registry.BlobPath);
        using (await registry.Http.GetAsync("/v2/nope/manifests/x"))
        {
        }

        Assert.Equal(
            [(registry.ManifestPath, 200), (registry.BlobPath, 200), ("/v2/nope/manifests/x", 404)],
            registry.Server.Requests.Select(r => (r.Path, r.StatusCode)));
    }
}
