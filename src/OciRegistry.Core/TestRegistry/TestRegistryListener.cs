using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace OciRegistry.Core.TestRegistry;

/// <summary>
/// One <see cref="HttpListener"/> on one port and its accept loop: the registry and its CDN origin each have one.
/// Every request runs on the thread pool, nothing on a foreground thread, so a forgotten listener never keeps a
/// process alive. Stopping closes the socket and aborts requests in flight, so the port is free at once.
/// </summary>
internal sealed class TestRegistryListener
{
    private const int MaxBindAttempts = 10;
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    private readonly HttpListener _listener;
    private readonly Func<HttpListenerContext, CancellationToken, Task> _serve;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<HttpListenerContext, byte> _inFlight = new();
    private readonly TaskCompletionSource<bool> _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _acceptLoop;
    private int _pending;
    private int _stopped;

    private TestRegistryListener(HttpListener listener, string host, int port, Func<HttpListenerContext, CancellationToken, Task> serve)
    {
        _listener = listener;
        _serve = serve;
        Host = host;
        Port = port;
        Url = new Uri("http://" + host + "/");
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>The base URL, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Url { get; }

    /// <summary>Host and port as a reference writes them, e.g. <c>127.0.0.1:41234</c>.</summary>
    public string Host { get; }

    public int Port { get; }

    public bool IsRunning => Volatile.Read(ref _stopped) == 0 && _listener.IsListening;

    /// <summary>
    /// Listens on <paramref name="address"/> and <paramref name="port"/> (0: a free one) and hands every request to
    /// <paramref name="serve"/>, which must not throw. The token it receives is cancelled when the listener stops.
    /// </summary>
    public static async Task<TestRegistryListener> StartAsync(IPAddress address, int port, Func<HttpListenerContext, CancellationToken, Task> serve, CancellationToken cancellationToken)
    {
        if (port is < 0 or > IPEndPoint.MaxPort)
        {
            throw new ArgumentException($"{port} is not a TCP port", nameof(port));
        }

        // The managed HttpListener (everywhere but Windows) rejects IPv6 literals in its prefixes.
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && !IsWildcard(address) && !RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            throw new NotSupportedException($"HttpListener cannot listen on the IPv6 address {address} on this platform; use 127.0.0.1 or IPv6Any");
        }

        // HttpListener cannot bind port 0 on Linux: ask the OS for a free port, release it and bind that,
        // trying again should another process take it in between.
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var candidate = port != 0 ? port : FindFreePort(address);
            var listener = TryListen(address, candidate, out var error);
            if (listener is not null)
            {
                return new TestRegistryListener(listener, HostText(address, candidate), candidate, serve);
            }

            if (port != 0 || attempt == MaxBindAttempts)
            {
                throw new OciException($"the test registry could not listen on {HostText(address, candidate)}: {error!.Message}", error);
            }

            await Task.Delay(10 * attempt, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops accepting, aborts requests in flight and waits (a few seconds at most) for their handlers to end.</summary>
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

    /// <summary>Stops at once; handlers of aborted requests end on their own.</summary>
    public void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        _stopping.Cancel();
        foreach (var context in _inFlight.Keys)
        {
            RegistryExchange.Abort(context);
        }

        // Abort, unlike Stop, also closes the connections the listener still holds, idle keep-alive ones included.
        _listener.Abort();
    }

    private static HttpListener? TryListen(IPAddress address, int port, out HttpListenerException? error)
    {
        // The managed listener only answers requests whose Host matches a prefix, so a loopback server also
        // registers "localhost" (which resolves to the same socket) for references written that way.
        var prefixes = new List<string> { "http://" + PrefixHost(address) + ":" + port.ToString(CultureInfo.InvariantCulture) + "/" };
        if (IPAddress.IsLoopback(address))
        {
            prefixes.Add("http://localhost:" + port.ToString(CultureInfo.InvariantCulture) + "/");
        }

        error = null;
        for (var count = prefixes.Count; count > 0; count--)
        {
            var listener = new HttpListener { IgnoreWriteExceptions = false };
            for (var i = 0; i < count; i++)
            {
                listener.Prefixes.Add(prefixes[i]);
            }

            try
            {
                listener.Start();
                return listener;
            }
            catch (HttpListenerException e)
            {
                error = e;
                listener.Close();
            }
        }

        return null;
    }

    private static int FindFreePort(IPAddress address)
    {
        var probe = new TcpListener(address, 0);
        probe.Start();
        try
        {
            return ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        finally
        {
            probe.Stop();
        }
    }

    private static bool IsWildcard(IPAddress address) => address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);

    private static string PrefixHost(IPAddress address) =>
        IsWildcard(address) ? "+" : address.AddressFamily == AddressFamily.InterNetworkV6 ? "[" + address + "]" : address.ToString();

    // A wildcard server is still reached through loopback from this machine.
    private static string HostText(IPAddress address, int port)
    {
        var reachable = address.Equals(IPAddress.Any) ? IPAddress.Loopback : address.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback : address;
        var host = reachable.AddressFamily == AddressFamily.InterNetworkV6 ? "[" + reachable + "]" : reachable.ToString();
        return host + ":" + port.ToString(CultureInfo.InvariantCulture);
    }

    private async Task AcceptLoopAsync()
    {
        while (true)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception) when (_stopping.IsCancellationRequested || !_listener.IsListening)
            {
                return;
            }
            catch (HttpListenerException)
            {
                // One connection failed before it became a request; the listener carries on.
                continue;
            }

            Interlocked.Increment(ref _pending);
            _ = Task.Run(() => ServeAsync(context));
        }
    }

    private async Task ServeAsync(HttpListenerContext context)
    {
        _inFlight.TryAdd(context, 0);
        try
        {
            if (_stopping.IsCancellationRequested)
            {
                RegistryExchange.Abort(context);
                return;
            }

            await _serve(context, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The serve callback handles its own failures; whatever escapes it can only drop the connection.
            RegistryExchange.Abort(context);
        }
        finally
        {
            _inFlight.TryRemove(context, out _);
            if (Interlocked.Decrement(ref _pending) == 0 && _stopping.IsCancellationRequested)
            {
                _drained.TrySetResult(true);
            }
        }
    }
}
