using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.Client;
using OciRegistry.Core.References;
using OciRegistry.Core.Tests.Support;

namespace OciRegistry.Core.Tests.Client;

/// <summary>Only what another attempt can mend is retried: not a header block too large, not an answer that is not HTTP, not a refused certificate.</summary>
public sealed class PermanentFailureTests
{
    [Fact]
    public async Task GetManifestAsync_HeaderBlockOverTheCap_FailsAfterOneRequest()
    {
        var big = "X-Filler: " + new string('a', 16 * 1024) + "\r\n";
        await using var server = new OneAnswerServer("HTTP/1.1 200 OK\r\n" + big + "Content-Length: 0\r\nConnection: close\r\n\r\n");

        await Assert.ThrowsAsync<HttpRequestException>(() => Client(server).GetManifestAsync(Reference.Parse($"{server.Host}/a/b:1")));

        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task GetManifestAsync_AnswerThatIsNotHttp_FailsAfterOneRequest()
    {
        await using var server = new OneAnswerServer("SSH-2.0-OpenSSH_9.2\r\n\r\n");

        await Assert.ThrowsAsync<HttpRequestException>(() => Client(server).GetManifestAsync(Reference.Parse($"{server.Host}/a/b:1")));

        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task GetManifestAsync_LoopbackThatDoesNotSpeakTls_IsTriedOverTlsOnceThenOverHttp_AndRememberedByTheClient()
    {
        await using var server = new OneAnswerServer("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        var options = new ClientOptions { UseDockerConfig = false, Retry = new RetryOptions { MaxRetries = 0 } };

        using (var first = new RegistryClient(server.Host, options))
        {
            var e = await Assert.ThrowsAsync<RegistryResponseException>(() => first.GetManifestAsync(Reference.Parse($"{server.Host}/a/b:1")));
            Assert.Equal(404, e.StatusCode);
            Assert.Equal(2, server.Connections);
            await Assert.ThrowsAsync<RegistryResponseException>(() => first.GetManifestAsync(Reference.Parse($"{server.Host}/a/b:2")));
        }

        Assert.Equal(3, server.Connections);

        // A new client asks again: by then the port may be another server's.
        using (var second = new RegistryClient(server.Host, options))
        {
            await Assert.ThrowsAsync<RegistryResponseException>(() => second.GetManifestAsync(Reference.Parse($"{server.Host}/a/b:1")));
        }

        Assert.Equal(5, server.Connections);
    }

    [Fact]
    public void IsTransientException_TlsRefusedOrNotHttp_IsPermanent()
    {
        Assert.False(RetryClassifier.IsTransientException(new HttpRequestException("ssl", new AuthenticationException("remote certificate is invalid"))));
        Assert.False(RetryClassifier.IsTransientException(new HttpRequestException(HttpRequestError.InvalidResponse, "bad status line")));
        Assert.False(RetryClassifier.IsTransientException(new HttpRequestException(HttpRequestError.ConfigurationLimitExceeded, "headers too long")));
        Assert.False(RetryClassifier.IsTransientException(new HttpRequestException("netfx", new WebException("trust", WebExceptionStatus.TrustFailure))));
        Assert.True(RetryClassifier.IsTransientException(new HttpRequestException(HttpRequestError.ConnectionError, "refused")));
        Assert.True(RetryClassifier.IsTransientException(new HttpRequestException(HttpRequestError.ResponseEnded, "reset")));
    }

    [Fact]
    public void IsNameResolutionFailure_SeesBothRuntimesWays()
    {
        Assert.True(RetryClassifier.IsNameResolutionFailure(new HttpRequestException(HttpRequestError.NameResolutionError, "no such host")));
        Assert.True(RetryClassifier.IsNameResolutionFailure(new HttpRequestException("netfx", new WebException("dns", WebExceptionStatus.NameResolutionFailure))));
        Assert.False(RetryClassifier.IsNameResolutionFailure(new HttpRequestException(HttpRequestError.ConnectionError, "refused")));
    }

    [Fact]
    public async Task GetManifestAsync_HostThatDoesNotResolve_TriesAtMostTwice()
    {
        var attempts = 0;
        var stub = new StubHandler(_ =>
        {
            Interlocked.Increment(ref attempts);
            throw new HttpRequestException(HttpRequestError.NameResolutionError, "Name or service not known (no-such-host.invalid:443)");
        });
        using var client = new RegistryClient("no-such-host.invalid", new ClientOptions
        {
            UseDockerConfig = false,
            PrimaryHandler = stub,
            Retry = new RetryOptions { BaseDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(20) },
        });

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetManifestAsync(Reference.Parse("no-such-host.invalid/a/b:1")));

        Assert.Equal(2, attempts);
    }

    [Fact]
    public async Task Retry_AfterAnException_TraceNamesTheUrl()
    {
        var events = new System.Collections.Concurrent.ConcurrentQueue<HttpTraceEvent>();
        var stub = new StubHandler(_ => throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (registry.example:443)"));
        using var client = new RegistryClient("registry.example", new ClientOptions
        {
            UseDockerConfig = false,
            PrimaryHandler = stub,
            Trace = events.Enqueue,
            Retry = new RetryOptions { MaxRetries = 2, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(2) },
        });

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetManifestAsync(Reference.Parse("registry.example/a/b:1")));

        var retries = events.Where(e => e.Kind == HttpTraceKind.Retry).ToList();
        Assert.Equal(2, retries.Count);
        Assert.All(retries, e => Assert.Equal("https://registry.example/v2/a/b/manifests/1", e.Url));
    }

    // Plain HTTP, said outright: the TLS attempt a loopback registry otherwise gets first would be a connection too.
    private static RegistryClient Client(OneAnswerServer server) => new(server.Host, new ClientOptions
    {
        Scheme = RegistryScheme.Http,
        UseDockerConfig = false,
        Retry = new RetryOptions { BaseDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(20) },
    });

    /// <summary>A loopback TCP server that answers every connection with the same bytes and counts the connections.</summary>
    private sealed class OneAnswerServer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private int _connections;

        public OneAnswerServer(string answer)
        {
            _listener.Start();
            Host = $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";
            _loop = Task.Run(async () =>
            {
                var bytes = Encoding.ASCII.GetBytes(answer);
                while (!_stop.IsCancellationRequested)
                {
                    using var socket = await _listener.AcceptSocketAsync(_stop.Token);
                    Interlocked.Increment(ref _connections);
                    var request = new byte[8192];
                    _ = await socket.ReceiveAsync(request, SocketFlags.None, _stop.Token);
                    await socket.SendAsync(bytes, SocketFlags.None, _stop.Token);
                    socket.Shutdown(SocketShutdown.Both);
                }
            });
        }

        public string Host { get; }

        public int Connections => Volatile.Read(ref _connections);

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            _listener.Stop();
            try
            {
                await _loop;
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }

            _stop.Dispose();
        }
    }
}
