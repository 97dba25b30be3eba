using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.Client;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;
using OciRegistry.Core.Tests.Support;

namespace OciRegistry.Core.Tests.Client;

/// <summary>
/// The idle timeout runs on real timers (it guards the network, not the retry clock), so these tests take real time,
/// kept to a few hundred milliseconds each.
/// </summary>
public sealed class IdleTimeoutTests
{
    private static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(200);
    private static readonly Reference App = Reference.Parse(TestClient.Registry + "/team/app:1");

    [Fact]
    public async Task GetManifestAsync_ResponseNeverArrives_ThrowsIdleTimeoutExceptionAfterTheResponseTimeout()
    {
        var stub = new StubHandler(async (_, token) =>
        {
            await Task.Delay(Timeout.Infinite, token);
            throw new InvalidOperationException("unreachable");
        });
        using var client = TestClient.Create(stub, configure: o =>
        {
            o.ResponseTimeout = Idle;
            o.IdleTimeout = TimeSpan.FromMinutes(5);
            o.Retry = new RetryOptions { MaxRetries = 0 };
        });
        var clock = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<IdleTimeoutException>(() => client.GetManifestAsync(App));

        Assert.Equal(Idle, e.Idle);
        Assert.True(e.WaitedForResponse);
        Assert.InRange(clock.Elapsed, Idle * 0.9, TimeSpan.FromSeconds(5));
        Assert.Single(stub.Requests);
    }

    [Fact]
    public async Task GetManifestAsync_ResponseNeverArrivesThenArrives_IsRetriedAsANetworkFailure()
    {
        var attempts = 0;
        var stub = new StubHandler(async (_, token) =>
        {
            if (Interlocked.Increment(ref attempts) == 1)
            {
                await Task.Delay(Timeout.Infinite, token);
            }

            return Manifests.Response(Manifests.Oci());
        });
        var time = new ManualTimeProvider();
        using var client = TestClient.Create(stub, time, o => o.ResponseTimeout = Idle);

        await client.GetManifestAsync(App);

        Assert.Equal(2, stub.Requests.Count);
        Assert.Single(time.Waits);
    }

    [Fact]
    public async Task GetManifestAsync_BodyStallsHalfway_ThrowsIdleTimeoutExceptionOnRead()
    {
        var body = Manifests.Bytes(Manifests.Oci());
        var stub = new StubHandler(_ => Responses.Streamed(new WireStream(body, pieceSize: 16, stallAfter: body.Length / 2), MediaTypes.OciManifest, body.Length));
        using var client = TestClient.Create(stub, configure: o => o.IdleTimeout = Idle);
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAsync<IdleTimeoutException>(() => client.GetManifestAsync(App));

        Assert.InRange(clock.Elapsed, Idle * 0.9, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task GetManifestAsync_SlowButMovingBody_IsNotCut()
    {
        var body = Manifests.Bytes(Manifests.Oci());
        var pieceSize = (body.Length / 4) + 1;
        // Each pause is far below the idle time, with room for a loaded machine: the timer must reset on every read.
        var stub = new StubHandler(_ => Responses.Streamed(new WireStream(body, pieceSize, pause: TimeSpan.FromMilliseconds(100)), MediaTypes.OciManifest));
        using var client = TestClient.Create(stub, configure: o => o.IdleTimeout = TimeSpan.FromMilliseconds(1500));

        var manifest = await client.GetManifestAsync(App);

        Assert.Equal(Digest.Compute(body), manifest.Digest);
    }

    [Fact]
    public async Task GetManifestAsync_ResponseTimeoutShorterThanTheBody_DoesNotCutTheBody()
    {
        // The response timeout covers the wait for headers only; the body has the idle timeout of its own.
        var body = Manifests.Bytes(Manifests.Oci());
        var stub = new StubHandler(_ => Responses.Streamed(new WireStream(body, (body.Length / 4) + 1, pause: TimeSpan.FromMilliseconds(150)), MediaTypes.OciManifest));
        using var client = TestClient.Create(stub, configure: o =>
        {
            o.ResponseTimeout = TimeSpan.FromMilliseconds(100);
            o.IdleTimeout = Timeout.InfiniteTimeSpan;
        });

        var manifest = await client.GetManifestAsync(App);

        Assert.Equal(Digest.Compute(body), manifest.Digest);
    }

    [Fact]
    public async Task GetManifestAsync_CallerCancelsDuringStall_ThrowsOperationCanceled()
    {
        var stub = new StubHandler(async (_, token) =>
        {
            await Task.Delay(Timeout.Infinite, token);
            throw new InvalidOperationException("unreachable");
        });
        using var client = TestClient.Create(stub, configure: o => o.IdleTimeout = TimeSpan.FromSeconds(30));
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetManifestAsync(App, cancellation.Token));

        Assert.IsNotType<IdleTimeoutException>(e.InnerException);
        Assert.Single(stub.Requests);
    }
}
