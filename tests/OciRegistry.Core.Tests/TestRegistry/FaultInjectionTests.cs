using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.TestRegistry;
using OciRegistry.Core.Tests.Support;

namespace OciRegistry.Core.Tests.TestRegistry;

/// <summary>Each fault kind over real HTTP: what the client sees, how rules count and scope, and changing them while running.</summary>
public sealed class FaultInjectionTests
{
    [Fact]
    public async Task Fail_FirstTwo_FailsTwiceThenServes()
    {
        await using var registry = await RegistryUnderTest.StartAsync(null, new FaultRule(FaultKind.Fail) { Count = 2 });

        for (var i = 0; i < 2; i++)
        {
            using var failed = await registry.Http.GetAsync(registry.ManifestPath);
            await RegistryAssert.ErrorAsync(failed, HttpStatusCode.ServiceUnavailable, "UNAVAILABLE");
            Assert.False(failed.Headers.Contains("Retry-After"));
        }

        Assert.Equal(registry.Manifest, await registry.Http.GetByteArrayAsync(registry.ManifestPath));
        Assert.Equal([[FaultKind.Fail], [FaultKind.Fail], []], registry.RequestsFor(registry.ManifestPath).Select(r => r.Faults.ToArray()));
    }

    [Theory]
    [InlineData(429, 1.2, "TOOMANYREQUESTS", "2")]
    [InlineData(503, 0.0, "UNAVAILABLE", "0")]
    [InlineData(500, null, "UNKNOWN", null)]
    [InlineData(404, null, "UNKNOWN", null)]
    public async Task Fail_StatusAndRetryAfter_AreSentAsGiven(int status, double? retryAfter, string code, string? header)
    {
        var rule = new FaultRule(FaultKind.Fail) { StatusCode = status, RetryAfter = retryAfter is { } s ? TimeSpan.FromSeconds(s) : null };
        await using var registry = await RegistryUnderTest.StartAsync(null, rule);

        using var response = await registry.Http.GetAsync(registry.BlobPath);

        await RegistryAssert.ErrorAsync(response, (HttpStatusCode)status, code);
        Assert.Equal(header, response.Headers.TryGetValues("Retry-After", out var values) ? values.Single() : null);
    }

    [Fact]
    public async Task Fail_WithBodyAndHeaders_SendsThemAsGiven()
    {
        var rule = new FaultRule(FaultKind.Fail)
        {
            StatusCode = 401,
            Body = "<html><body>Sign in</body></html>",
            ContentType = "text/html",
            Headers = new System.Collections.Generic.Dictionary<string, string> { ["WWW-Authenticate"] = "Bearer realm=", ["X-Padding"] = new string('p', 17 * 1024) },
        };
        await using var registry = await RegistryUnderTest.StartAsync(null, rule);

        using var response = await registry.Http.GetAsync(registry.BlobPath);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("<html><body>Sign in</body></html>", await response.Content.ReadAsStringAsync());
        Assert.Equal("Bearer realm=", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal(17 * 1024, response.Headers.GetValues("X-Padding").Single().Length);
    }

    [Fact]
    public async Task Fail_CountEachPath_FailsEveryPathOnce()
    {
        await using var registry = await RegistryUnderTest.StartAsync(null, new FaultRule(FaultKind.Fail) { Count = 1, CountEachPath = true });

        var paths = new[] { registry.ManifestPath, registry.BlobPath, registry.ManifestPath, registry.BlobPath, "/v2/", "/v2/" };
        var statuses = new int[paths.Length];
        for (var i = 0; i < paths.Length; i++)
        {
            statuses[i] = await StatusOf(registry.Http, paths[i]);
        }

        Assert.Equal(new[] { 503, 503, 200, 200, 503, 200 }, statuses);
    }

    [Theory]
    [InlineData("*/blobs/*", null, null, null, new[] { 200, 503, 200 })]
    [InlineData(null, "manifests/v[12]$", null, null, new[] { 503, 200, 503 })]
    [InlineData(null, null, "HEAD", null, new[] { 200, 200, 200 })]
    [InlineData(null, null, "get", null, new[] { 503, 503, 503 })]
    [InlineData(null, null, null, TestRegistryOrigin.Cdn, new[] { 200, 200, 200 })]
    [InlineData(null, null, null, TestRegistryOrigin.Registry, new[] { 503, 503, 503 })]
    public async Task Scope_PathMethodAndOrigin_LimitWhichRequestsFail(string? wildcard, string? regex, string? method, TestRegistryOrigin? origin, int[] expected)
    {
        var rule = new FaultRule(FaultKind.Fail) { PathPattern = wildcard, PathRegex = regex, Method = method, Origin = origin };
        await using var registry = await RegistryUnderTest.StartAsync(null, rule);
        var paths = new[] { registry.ManifestPath, registry.BlobPath, $"/v2/{RegistryUnderTest.Repository}/manifests/v2" };

        var statuses = new int[paths.Length];
        for (var i = 0; i < paths.Length; i++)
        {
            statuses[i] = await StatusOf(registry.Http, paths[i]);
        }

        Assert.Equal(expected, statuses);
    }

    [Fact]
    public async Task Faults_ChangedWhileRunning_ActFromTheNextRequest()
    {
        await using var registry = await RegistryUnderTest.StartAsync();
        var once = new FaultRule(FaultKind.Fail) { StatusCode = 500, Count = 1 };
        Assert.Equal(200, await StatusOf(registry.Http, registry.ManifestPath));

        registry.Server.Faults.Add(once);
        Assert.Equal(500, await StatusOf(registry.Http, registry.ManifestPath));
        Assert.Equal(200, await StatusOf(registry.Http, registry.ManifestPath));

        // Added again, the same rule counts afresh; removed, it stops.
        registry.Server.Faults.Add(once);
        registry.Server.Faults.Add(new FaultRule(FaultKind.Fail) { StatusCode = 502 });
        Assert.Equal(500, await StatusOf(registry.Http, registry.ManifestPath));
        Assert.Equal(502, await StatusOf(registry.Http, registry.ManifestPath));
        Assert.True(registry.Server.Faults.Remove(new FaultRule(FaultKind.Fail) { StatusCode = 502 }));
        Assert.False(registry.Server.Faults.Remove(new FaultRule(FaultKind.Fail) { StatusCode = 502 }));
        Assert.Equal(200, await StatusOf(registry.Http, registry.ManifestPath));

        registry.Server.Faults.Add(new FaultRule(FaultKind.Fail));
        registry.Server.Faults.Clear();
        Assert.Empty(registry.Server.Faults);
        Assert.Equal(200, await StatusOf(registry.Http, registry.ManifestPath));
    }

    [Fact]
    public async Task Fail_ManyClientsAtOnce_CountsExactly()
    {
        await using var registry = await RegistryUnderTest.StartAsync(null, new FaultRule(FaultKind.Fail) { Count = 7 });

        var statuses = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => StatusOf(registry.Http, registry.ManifestPath)));

        Assert.Equal(7, statuses.Count(s => s == 503));
        Assert.Equal(33, statuses.Count(s => s == 200));
    }

    [Fact]
    public async Task Delay_WaitsBeforeAnswering()
    {
        await using var registry = await RegistryUnderTest.StartAsync(null, new FaultRule(FaultKind.Delay) { Delay = TimeSpan.FromMilliseconds(300), Count = 1 });

        var first = Stopwatch.StartNew();
        Assert.Equal(registry.Manifest, await registry.Http.GetByteArrayAsync(registry.ManifestPath));
        first.Stop();

        Assert.True(first.Elapsed >= TimeSpan.FromMilliseconds(280), $"the delayed answer took {first.Elapsed}");
        Assert.Equal([FaultKind.Delay], registry.Server.Requests.Single().Faults);
    }

    [Fact]
    public async Task Trickle_SendsTheBodyAtTheRate()
    {
        await using var registry = await RegistryUnderTest.StartAsync(null, new FaultRule(FaultKind.Trickle) { BytesPerSecond = 1024 * 1024 });

        var watch = Stopwatch.StartNew();
        var body = await registry.Http.GetByteArrayAsync(registry.BlobPath);
        watch.Stop();

        // 300 KiB at 1 MiB/s: about 0.29 s; the first slice goes out at once.
        Assert.Equal(registry.Blob, body);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(230), TimeSpan.FromSeconds(3));
    }

    [Theory]
    [InlineData(null, 0)]
    [InlineData(1000L, 1000)]
    public async Task Stall_SendsHeadersThenNothingUntilTheServerStops(long? offset, int expected)
    {
        var registry = await RegistryUnderTest.StartAsync(null, new FaultRule(FaultKind.Stall) { Offset = offset });
        try
        {
            using var response = await registry.Http.GetAsync(registry.BlobPath, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(registry.Blob.Length, response.Content.Headers.ContentLength);
            var body = await response.Content.ReadAsStreamAsync();

            var (received, error) = await ReadUntilFailureAsync(body, TimeSpan.FromMilliseconds(400));

            Assert.Equal(expected, received.Length);
            Assert.IsAssignableFrom<OperationCanceledException>(error);
            var entry = registry.Server.Requests.Single();
            Assert.Null(entry.Duration);
            Assert.Equal(expected, entry.BytesSent);

            var stop = Stopwatch.StartNew();
            await registry.Server.StopAsync();
            Assert.True(stop.Elapsed < TimeSpan.FromSeconds(3), $"stopping took {stop.Elapsed}");
            Assert.NotNull(entry.Duration);
            Assert.True(entry.Aborted);
        }
        finally
        {
            await registry.DisposeAsync();
        }
    }

    [Fact]
    public async Task CutBody_AtOffset_SendsExactlyThoseBytesThenDropsTheConnection()
    {
        await using var registry = await RegistryUnderTest.StartAsync(null, new FaultRule(FaultKind.CutBody) { Offset = 100_000 });

        using (var response = await registry.Http.GetAsync(registry.BlobPath, HttpCompletionOption.ResponseHeadersRead))
        {
            var (received, error) = await ReadUntilFailureAsync(await response.Content.ReadAsStreamAsync(), TimeSpan.FromSeconds(10));

            Assert.Equal(registry.Blob.AsSpan(0, 100_000).ToArray(), received);
            Assert.IsAssignableFrom<IOException>(error);
        }

        // A resumed request that starts at the cut is past it: served whole, as the fault did not apply.
        using var resumed = new HttpRequestMessage(HttpMethod.Get, registry.BlobPath) { Headers = { Range = new RangeHeaderValue(100_000, null) } };
        using var rest = await registry.Http.SendAsync(resumed);
        Assert.Equal(HttpStatusCode.PartialContent, rest.StatusCode);
        Assert.Equal(registry.Blob.AsSpan(100_000).ToArray(), await rest.Content.ReadAsByteArrayAsync());

        var log = registry.RequestsFor(registry.BlobPath);
        Assert.Equal((200, 100_000L, true, FaultKind.CutBody), (log[0].StatusCode, log[0].BytesSent, log[0].Aborted, log[0].Faults.Single()));
        Assert.Equal(("bytes=100000-", 206, false), (log[1].Range, log[1].StatusCode, log[1].Aborted));
        Assert.Empty(log[1].Faults);
    }

    [Fact]
    public async Task CutBody_Default_CutsHalfwayOnlyOnce()
    {
        await using var registry = await RegistryUnderTest.StartAsync(null, new FaultRule(FaultKind.CutBody) { PathPattern = "*/blobs/*", Count = 1 });

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => registry.Http.GetByteArrayAsync(registry.BlobPath));
        Assert.Equal(registry.Blob, await registry.Http.GetByteArrayAsync(registry.BlobPath));
        Assert.Equal(registry.Manifest, await registry.Http.GetByteArrayAsync(registry.ManifestPath));

        Assert.Equal([registry.Blob.Length / 2, registry.Blob.Length], registry.RequestsFor(registry.BlobPath).Select(r => r.BytesSent));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0L)]
    [InlineData(300L * 1024 - 1)]
    public async Task CorruptByte_FlipsExactlyOneByteAndLeavesTheStoreIntact(long? offset)
    {
        await using var registry = await RegistryUnderTest.StartAsync(null, new FaultRule(FaultKind.CorruptByte) { Offset = offset, Count = 1 });

        var corrupt = await registry.Http.GetByteArrayAsync(registry.BlobPath);
        var intact = await registry.Http.GetByteArrayAsync(registry.BlobPath);

        var at = offset ?? registry.Blob.Length / 2;
        Assert.Equal(registry.Blob, intact);
        Assert.Equal(registry.Blob.Length, corrupt.Length);
        Assert.Equal([(int)at], Enumerable.Range(0, corrupt.Length).Where(i => corrupt[i] != registry.Blob[i]));
        Assert.Equal((byte)(registry.Blob[at] ^ 0xFF), corrupt[at]);
    }

    [Fact]
    public async Task IgnoreRange_AnswersOnlyRangedRequestsWithTheWholeBlob()
    {
        await using var registry = await RegistryUnderTest.StartAsync(null, new FaultRule(FaultKind.IgnoreRange) { Count = 1 });

        Assert.Equal(registry.Blob, await registry.Http.GetByteArrayAsync(registry.BlobPath));
        var statuses = new int[2];
        for (var i = 0; i < 2; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, registry.BlobPath) { Headers = { Range = new RangeHeaderValue(10, null) } };
            using var response = await registry.Http.SendAsync(request);
            statuses[i] = (int)response.StatusCode;
            Assert.Equal(i == 0 ? registry.Blob.Length : registry.Blob.Length - 10, (await response.Content.ReadAsByteArrayAsync()).Length);
        }

        Assert.Equal([200, 206], statuses);
        Assert.Equal([[], [FaultKind.IgnoreRange], []], registry.RequestsFor(registry.BlobPath).Select(r => r.Faults.ToArray()));
    }

    [Fact]
    public async Task Redirect_SendsReadsToASignedUrlOnTheCdnOrigin()
    {
        await using var registry = await RegistryUnderTest.StartAsync(null, new FaultRule(FaultKind.Redirect));

        using var redirect = await registry.Http.GetAsync(registry.BlobPath);
        Assert.Equal(HttpStatusCode.TemporaryRedirect, redirect.StatusCode);
        var location = redirect.Headers.Location!;
        Assert.Equal(registry.Server.CdnUrl.Authority, location.Authority);
        Assert.NotEqual(registry.Server.Url.Authority, location.Authority);
        Assert.Equal(registry.BlobPath, location.AbsolutePath);
        Assert.Matches("^\\?expires=[0-9]+&sig=[0-9a-f]{64}$", location.Query);

        Assert.Equal(registry.Blob, await registry.Http.GetByteArrayAsync(location));
        Assert.Equal(HttpStatusCode.OK, (await registry.Http.GetAsync("/v2/")).StatusCode);

        var log = registry.Server.Requests.ToList();
        Assert.Equal(
            [(TestRegistryOrigin.Registry, 307), (TestRegistryOrigin.Cdn, 200), (TestRegistryOrigin.Registry, 200)],
            log.Select(r => (r.Origin, r.StatusCode)));
        Assert.Equal(location.Query.TrimStart('?'), log[1].Query);
    }

    [Fact]
    public async Task Redirect_KeepsTheQueryOfATagList()
    {
        await using var registry = await RegistryUnderTest.StartAsync(null, new FaultRule(FaultKind.Redirect) { Method = "GET" });

        using var redirect = await registry.Http.GetAsync($"/v2/{RegistryUnderTest.Repository}/tags/list?n=1");
        var page = await registry.Http.GetStringAsync(redirect.Headers.Location);

        Assert.StartsWith("?n=1&expires=", redirect.Headers.Location!.Query, StringComparison.Ordinal);
        Assert.Equal($"{{\"name\":\"{RegistryUnderTest.Repository}\",\"tags\":[\"v1\"]}}", page);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?expires=99999999999&sig=0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("tampered")]
    [InlineData("expired")]
    public async Task Cdn_UnsignedAlteredOrExpiredUrl_IsRefused(string query)
    {
        var clock = new ManualTimeProvider();
        await using var registry = await RegistryUnderTest.StartAsync(new TestRegistryOptions { TimeProvider = clock }, new FaultRule(FaultKind.Redirect));
        using var redirect = await registry.Http.GetAsync(registry.BlobPath);
        var signed = redirect.Headers.Location!;
        var url = query switch
        {
            "tampered" => new Uri(signed.AbsoluteUri.Replace(registry.BlobDigest.ToString(), registry.ConfigDigest.ToString(), StringComparison.Ordinal)),
            "expired" => signed,
            _ => new Uri(registry.Server.CdnUrl, registry.BlobPath + query),
        };
        if (query == "expired")
        {
            clock.Advance(UrlSigner.Lifetime + TimeSpan.FromSeconds(1));
        }

        using var response = await registry.Http.GetAsync(url);

        await RegistryAssert.ErrorAsync(response, HttpStatusCode.Forbidden, "DENIED");
    }

    [Fact]
    public async Task BodyFaults_LeaveErrorsAndHeadAlone()
    {
        await using var registry = await RegistryUnderTest.StartAsync(
            null,
            new FaultRule(FaultKind.CutBody) { Offset = 0, Count = 1 },
            new FaultRule(FaultKind.CorruptByte) { Offset = 0, Count = 1 });

        using var head = await registry.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, registry.BlobPath));
        using var missing = await registry.Http.GetAsync($"/v2/{RegistryUnderTest.Repository}/manifests/nope");

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        await RegistryAssert.ErrorAsync(missing, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        Assert.All(registry.Server.Requests, r => Assert.Empty(r.Faults));
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => registry.Http.GetByteArrayAsync(registry.BlobPath));
    }

    private static async Task<int> StatusOf(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return (int)response.StatusCode;
    }

    /// <summary>Reads until the body ends, fails, or sends nothing for <paramref name="idle"/>.</summary>
    private static async Task<(byte[] Received, Exception? Error)> ReadUntilFailureAsync(Stream body, TimeSpan idle)
    {
        using var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                using var timeout = new CancellationTokenSource(idle);
                var read = await body.ReadAsync(buffer, timeout.Token);
                if (read == 0)
                {
                    return (received.ToArray(), null);
                }

                received.Write(buffer, 0, read);
            }
        }
        catch (Exception e)
        {
            return (received.ToArray(), e);
        }
    }
}
