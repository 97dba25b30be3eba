using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core;
using OciRegistry.TestRegistry.Http;
using OciRegistry.TestRegistry.Tls;

namespace OciRegistry.TestRegistry;

/// <summary>
/// One listening socket and its accept loop: the registry and its CDN origin each have one. Every connection runs on
/// the thread pool, nothing on a foreground thread, so a forgotten listener never keeps a process alive. Stopping
/// closes the socket and every connection, so the port is free at once.
/// </summary>
/// <remarks>
/// The HTTP/1.1 server is our own (<see cref="HttpConnection"/>) rather than <see cref="HttpListener"/>: the managed
/// HttpListener on Linux and macOS reads a request line or header block of any length into memory (a 128 MiB request
/// line took a test process to 4 GB), has no header timeout, and http.sys on Windows has other limits again; neither
/// serves TLS the same way everywhere. A socket server enforces the same caps and timeouts on .NET Framework and .NET,
/// on every platform, and with TLS an <see cref="System.Net.Security.SslStream"/> sits on the same connections
/// (<see cref="ServerTls"/>).
/// </remarks>
internal sealed class TestRegistryListener
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    private readonly TcpListener _listener;
    private readonly HttpServerLimits _limits;
    private readonly Func<HttpServerContext, CancellationToken, Task> _serve;
    private readonly ServerTls? _tls;
    private readonly HashSet<string>? _hostNames; // null: any name (a wildcard address)
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<HttpConnection, byte> _connections = new();
    private readonly SemaphoreSlim _slots;
    private readonly TaskCompletionSource<bool> _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _acceptLoop;
    private int _pending;
    private int _stopped;

    private TestRegistryListener(TcpListener listener, IPAddress address, HttpServerLimits limits, Func<HttpServerContext, CancellationToken, Task> serve, ServerTls? tls)
    {
        _listener = listener;
        _limits = limits;
        _serve = serve;
        _tls = tls;
        _slots = new SemaphoreSlim(limits.MaxConnections);
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        Host = HostText(address, Port);
        Url = new Uri((tls is null ? "http://" : "https://") + Host + "/");
        _hostNames = IsWildcard(address) ? null : HostNames(address);
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>The base URL, e.g. <c>http://127.0.0.1:41234/</c>, or <c>https://…</c> with TLS.</summary>
    public Uri Url { get; }

    /// <summary>Host and port as a reference writes them, e.g. <c>127.0.0.1:41234</c>.</summary>
    public string Host { get; }

    public int Port { get; }

    public bool IsRunning => Volatile.Read(ref _stopped) == 0;

    /// <summary>
    /// Listens on <paramref name="address"/> and <paramref name="port"/> (0: a free one the system picks) and hands
    /// every request to <paramref name="serve"/>, which must not throw. The token it receives is cancelled when the
    /// listener stops. With <paramref name="tls"/>, every connection starts with a TLS handshake.
    /// </summary>
    public static Task<TestRegistryListener> StartAsync(IPAddress address, int port, HttpServerLimits limits, Func<HttpServerContext, CancellationToken, Task> serve, CancellationToken cancellationToken, ServerTls? tls = null)
    {
        if (port is < 0 or > IPEndPoint.MaxPort)
        {
            throw new ArgumentException($"{port} is not a TCP port", nameof(port));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var listener = new TcpListener(address, port);
        try
        {
            listener.Start();
        }
        catch (SocketException e)
        {
            throw new OciException($"the test registry could not listen on {HostText(address, port)}: {e.Message}", e);
        }

        return Task.FromResult(new TestRegistryListener(listener, address, limits, serve, tls));
    }

    /// <summary>Stops accepting, closes every connection and waits (a few seconds at most) for their handlers to end.</summary>
    public async Task StopAsync()
    {
        Stop();
        await _acceptLoop.ConfigureAwait(false);
        if (Volatile.Read(ref _pending) == 0)
        {
            _drained.TrySetResult(true);
        }

        await Task.WhenAny(_drained.Task, Task.Delay(DrainTimeout)).ConfigureAwait(false);
    }

    /// <summary>Stops at once; handlers of closed connections end on their own.</summary>
    public void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        _stopping.Cancel();
        _listener.Stop();
        foreach (var connection in _connections.Keys)
        {
            connection.Close();
        }
    }

    private static bool IsWildcard(IPAddress address) => address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);

    // The names a Host header may carry: the address itself, and for loopback every loopback spelling.
    private static HashSet<string> HostNames(IPAddress address)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { Literal(address) };
        if (IPAddress.IsLoopback(address))
        {
            names.Add("localhost");
            names.Add("127.0.0.1");
            names.Add("[::1]");
        }

        return names;
    }

    private static string Literal(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? "[" + address + "]" : address.ToString();

    // A wildcard server is still reached through loopback from this machine.
    private static string HostText(IPAddress address, int port)
    {
        var reachable = address.Equals(IPAddress.Any) ? IPAddress.Loopback : address.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback : address;
        return Literal(reachable) + ":" + port.ToString(CultureInfo.InvariantCulture);
    }

    private bool HostAllowed(string? name) => name is null || _hostNames is null || _hostNames.Contains(name);

    private async Task AcceptLoopAsync()
    {
        while (true)
        {
            Socket socket;
            try
            {
                // At most MaxConnections at once: further clients wait in the backlog until one closes.
                await _slots.WaitAsync(_stopping.Token).ConfigureAwait(false);
                socket = await _listener.AcceptSocketAsync().ConfigureAwait(false);
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                // One connection failed before it was accepted; the listener carries on.
                _slots.Release();
                continue;
            }

            Interlocked.Increment(ref _pending);
            _ = Task.Run(() => RunAsync(socket));
        }
    }

    private async Task RunAsync(Socket socket)
    {
        var connection = new HttpConnection(socket, _limits, HostAllowed, _tls);
        _connections.TryAdd(connection, 0);
        try
        {
            if (!_stopping.IsCancellationRequested)
            {
                await connection.RunAsync(_serve, _stopping.Token).ConfigureAwait(false);
            }
        }
        finally
        {
            connection.Dispose();
            _connections.TryRemove(connection, out _);
            _slots.Release();
            if (Interlocked.Decrement(ref _pending) == 0 && _stopping.IsCancellationRequested)
            {
                _drained.TrySetResult(true);
            }
        }
    }
}
