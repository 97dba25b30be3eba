using System;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.Client;
using OciRegistry.Core.References;
using OciRegistry.Core.Tests.Support;

namespace OciRegistry.Core.Tests.Client;

/// <summary>Retries as the client performs them: a stub network and a clock whose waits take no time.</summary>
public sealed class RetryBehaviourTests
{
    private static readonly Reference App = Reference.Parse(TestClient.Registry + "/team/app:1.0");

    [Fact]
    public async Task GetManifestAsync_TwoServiceUnavailableThenOk_SucceedsOnThirdRequest()
    {
        var stub = StubHandler.Sequence(_ => Responses.Status(503), _ => Responses.Status(503), _ => Manifests.Response(Manifests.Oci()));
        var time = new ManualTimeProvider();
        using var client = TestClient.Create(stub, time);

        var manifest = await client.GetManifestAsync(App);

        Assert.Equal(Manifests.DigestOf(Manifests.Oci()), manifest.Digest);
        Assert.Equal(3, stub.Requests.Count);
        Assert.Equal(2, time.Waits.Count);
        Assert.All(stub.Requests, r => Assert.Equal("https://registry.example/v2/team/app/manifests/1.0", r.Uri.AbsoluteUri));
    }

    [Theory]
    [InlineData(408)]
    [InlineData(425)]
    [InlineData(429)]
    [InlineData(499)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task GetManifestAsync_TransientStatusOnce_IsRetried(int status)
    {
        var stub = StubHandler.Sequence(_ => Responses.Status(status), _ => Manifests.Response(Manifests.Oci()));
        using var client = TestClient.Create(stub);

        await client.GetManifestAsync(App);

        Assert.Equal(2, stub.Requests.Count);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(405)]
    [InlineData(501)]
    [InlineData(505)]
    [InlineData(511)]
    public async Task GetManifestAsync_PermanentStatus_IsNotRetried(int status)
    {
        var stub = new StubHandler(_ => Responses.Status(status));
        var time = new ManualTimeProvider();
        using var client = TestClient.Create(stub, time);

        var e = await Assert.ThrowsAsync<RegistryResponseException>(() => client.GetManifestAsync(App));

        Assert.Equal(status, e.StatusCode);
        Assert.Single(stub.Requests);
        Assert.Empty(time.Waits);
    }

    [Fact]
    public async Task GetManifestAsync_TooManyRequestsWithRetryAfter_WaitsAtLeastThatLong()
    {
        var stub = StubHandler.Sequence(_ => Responses.Status(429).WithHeader("Retry-After", "2"), _ => Manifests.Response(Manifests.Oci()));
        var time = new ManualTimeProvider();
        using var client = TestClient.Create(stub, time, o => o.Retry = new RetryOptions { BaseDelay = TimeSpan.FromMilliseconds(100) });

        await client.GetManifestAsync(App);

        var wait = Assert.Single(time.Waits);
        Assert.True(wait >= TimeSpan.FromSeconds(2), $"waited {wait}");
    }

    [Fact]
    public async Task GetManifestAsync_RetryAfterHttpDate_WaitsUntilThatTimeOnTheInjectedClock()
    {
        var time = new ManualTimeProvider();
        var stub = StubHandler.Sequence(
            _ => Responses.Status(503).WithHeader("Retry-After", time.Now.AddSeconds(30).ToString("r")),
            _ => Manifests.Response(Manifests.Oci()));
        using var client = TestClient.Create(stub, time);

        await client.GetManifestAsync(App);

        Assert.Equal(TimeSpan.FromSeconds(30), Assert.Single(time.Waits));
    }

    [Fact]
    public async Task GetManifestAsync_BackoffWithoutRetryAfter_GrowsAndStaysBounded()
    {
        var stub = new StubHandler(_ => Responses.Status(503));
        var time = new ManualTimeProvider();
        var retry = new RetryOptions { MaxRetries = 6, BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(8) };
        using var client = TestClient.Create(stub, time, o => o.Retry = retry);

        await Assert.ThrowsAsync<RegistryResponseException>(() => client.GetManifestAsync(App));

        var waits = time.Waits;
        Assert.Equal(6, waits.Count);
        for (var i = 0; i < waits.Count; i++)
        {
            var full = TimeSpan.FromSeconds(Math.Min(8, Math.Pow(2, i)));
            Assert.InRange(waits[i], full / 2, full);
        }
    }

    [Fact]
    public async Task GetManifestAsync_NotFound_ThrowsWithSpecCodesWithoutRetrying()
    {
        var stub = new StubHandler(_ => Responses.Error(404, "MANIFEST_UNKNOWN", "manifest unknown to registry"));
        using var client = TestClient.Create(stub);

        var e = await Assert.ThrowsAsync<RegistryResponseException>(() => client.GetManifestAsync(App));

        Assert.Single(stub.Requests);
        Assert.True(e.IsNotFound);
        Assert.False(e.IsTransient);
        Assert.Equal(404, e.StatusCode);
        var error = Assert.Single(e.Errors);
        Assert.Equal("MANIFEST_UNKNOWN", error.Code);
        Assert.Equal("manifest unknown to registry", error.Message);
        Assert.Null(e.BodyText);
        Assert.Equal("GET", e.Method);
        Assert.Equal("https://registry.example/v2/team/app/manifests/1.0", e.Url);
        Assert.Contains("MANIFEST_UNKNOWN", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetManifestAsync_UnknownCodeOnOtherStatus_IsStillNotFound()
    {
        var stub = new StubHandler(_ => Responses.Error(400, "NAME_UNKNOWN", "repository name not known to registry"));
        using var client = TestClient.Create(stub);

        var e = await Assert.ThrowsAsync<RegistryResponseException>(() => client.GetManifestAsync(App));

        Assert.True(e.IsNotFound);
    }

    [Fact]
    public async Task GetManifestAsync_PlainTextTooManyRequests_KeepsTheBodyTextAndRetryAfter()
    {
        const string Text = "You have reached your pull rate limit. You may increase the limit by authenticating and upgrading";
        var stub = new StubHandler(_ => Responses.Status(429, Text).WithHeader("Retry-After", "3"));
        var time = new ManualTimeProvider();
        using var client = TestClient.Create(stub, time, o => o.Retry = new RetryOptions { MaxRetries = 1 });

        var e = await Assert.ThrowsAsync<RegistryResponseException>(() => client.GetManifestAsync(App));

        Assert.Equal(2, stub.Requests.Count);
        Assert.Equal(429, e.StatusCode);
        Assert.Equal("You have reached your pull rate limit.", e.BodyText);
        Assert.Empty(e.Errors);
        Assert.Equal(TimeSpan.FromSeconds(3), e.RetryAfter);
        Assert.True(e.IsTransient);
        Assert.Contains("pull rate limit", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetManifestAsync_LongErrorBody_IsShortenedAndControlCharactersRemoved()
    {
        var stub = new StubHandler(_ => Responses.Status(400, "bad\r\nX-Injected: 1\u0000" + new string('x', 100_000)));
        using var client = TestClient.Create(stub);

        var e = await Assert.ThrowsAsync<RegistryResponseException>(() => client.GetManifestAsync(App));

        Assert.NotNull(e.BodyText);
        Assert.True(e.BodyText!.Length <= 520, $"body text of {e.BodyText.Length} characters");
        Assert.DoesNotContain(e.BodyText, char.IsControl);
    }

    [Fact]
    public async Task GetManifestAsync_RetriesExhausted_ThrowsWithTheLastStatus()
    {
        var stub = StubHandler.Sequence(_ => Responses.Status(500), _ => Responses.Status(502), _ => Responses.Status(503));
        using var client = TestClient.Create(stub, configure: o => o.Retry = new RetryOptions { MaxRetries = 2 });

        var e = await Assert.ThrowsAsync<RegistryResponseException>(() => client.GetManifestAsync(App));

        Assert.Equal(503, e.StatusCode);
        Assert.Equal(3, stub.Requests.Count);
    }

    [Fact]
    public async Task GetManifestAsync_NetworkFailureThenOk_Succeeds()
    {
        var stub = StubHandler.Sequence(_ => throw new HttpRequestException("connection reset"), _ => Manifests.Response(Manifests.Oci()));
        using var client = TestClient.Create(stub);

        await client.GetManifestAsync(App);

        Assert.Equal(2, stub.Requests.Count);
    }

    [Fact]
    public async Task GetManifestAsync_NetworkFailureEveryTime_ThrowsTheNetworkFailureAfterAllAttempts()
    {
        var stub = new StubHandler(_ => throw new HttpRequestException("connection refused"));
        using var client = TestClient.Create(stub, configure: o => o.Retry = new RetryOptions { MaxRetries = 3 });

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetManifestAsync(App));

        Assert.Equal("connection refused", e.Message);
        Assert.Equal(4, stub.Requests.Count);
    }

    [Fact]
    public async Task GetManifestAsync_CancelledDuringRetryWait_StopsAtOnce()
    {
        var stub = new StubHandler(_ => Responses.Status(503));
        var time = new ManualTimeProvider { FireTimers = false };
        using var client = TestClient.Create(stub, time);
        using var cancellation = new CancellationTokenSource();

        var pull = client.GetManifestAsync(App, cancellation.Token);
        await time.FirstTimerCreated.WaitAsync(TimeSpan.FromSeconds(10));
        cancellation.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pull.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Single(stub.Requests);
    }

    [Fact]
    public async Task GetManifestAsync_AlreadyCancelled_SendsNothing()
    {
        var stub = new StubHandler(_ => Responses.Status(503));
        using var client = TestClient.Create(stub);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetManifestAsync(App, new CancellationToken(canceled: true)));

        Assert.Empty(stub.Requests);
    }

    [Fact]
    public async Task GetManifestAsync_RetryAfterBeyondMaxRetryAfter_IsNotRetried()
    {
        var stub = new StubHandler(_ => Responses.Status(503).WithHeader("Retry-After", "3600"));
        var time = new ManualTimeProvider();
        using var client = TestClient.Create(stub, time, o => o.Retry = new RetryOptions { MaxRetryAfter = TimeSpan.FromMinutes(5) });

        var e = await Assert.ThrowsAsync<RegistryResponseException>(() => client.GetManifestAsync(App));

        Assert.Single(stub.Requests);
        Assert.Empty(time.Waits);
        Assert.Equal(TimeSpan.FromHours(1), e.RetryAfter);
    }

    [Fact]
    public async Task GetManifestAsync_MaxRetriesZero_SendsOnce()
    {
        var stub = new StubHandler(_ => Responses.Status(503));
        using var client = TestClient.Create(stub, configure: o => o.Retry = new RetryOptions { MaxRetries = 0 });

        await Assert.ThrowsAsync<RegistryResponseException>(() => client.GetManifestAsync(App));

        Assert.Single(stub.Requests);
    }

    [Fact]
    public async Task GetManifestAsync_Retry_IsReportedToTrace()
    {
        var events = new System.Collections.Concurrent.ConcurrentQueue<HttpTraceEvent>();
        var stub = StubHandler.Sequence(_ => Responses.Status(503).WithHeader("Retry-After", "1"), _ => Manifests.Response(Manifests.Oci()));
        using var client = TestClient.Create(stub, configure: o => o.Trace = events.Enqueue);

        await client.GetManifestAsync(App);

        var retry = Assert.Single(events, e => e.Kind == HttpTraceKind.Retry);
        Assert.Contains("HTTP 503", retry.Detail, StringComparison.Ordinal);
        Assert.True(retry.Delay >= TimeSpan.FromSeconds(1));
        Assert.Equal(2, events.Count(e => e.Kind == HttpTraceKind.Request));
    }
}
