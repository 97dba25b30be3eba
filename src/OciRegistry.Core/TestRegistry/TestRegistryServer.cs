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
/// A read-only OCI registry inside the current process, for tests: serves what its <see cref="Content"/>
/// holds over plain HTTP, by default on 127.0.0.1 and a free port.
/// </summary>
/// <remarks>
/// Built on <see cref="HttpListener"/>, so it needs nothing outside the BCL. Every request is handled on the
/// thread pool and nothing runs on a foreground thread: a forgotten server never keeps a process alive.
/// Stopping closes the listening socket and aborts requests in flight, so the port is free at once.
/// Not <c>IAsyncDisposable</c> on purpose: on netstandard2.0 that type comes from Microsoft.Bcl.AsyncInterfaces,
/// which a .NET (Core) consumer does not receive through System.Text.Json, so loading this type would fail there.
/// Call <see cref="StopAsync"/> to wait for handlers, or <see cref="Dispose"/> to stop at once.
/// </remarks>
public sealed class TestRegistryServer : IDisposable
{
    private const int MaxBindAttempts = 10;
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    private readonly HttpListener _listener;
    private readonly RegistryRequestHandler _handler;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<RegistryExchange, byte> _inFlight = new();
    private readonly TaskCompletionSource<bool> _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _acceptLoop;
    private int _pending;
    private int _stopped;

    private TestRegistryServer(HttpListener listener, Uri url, string host, int port)
    {
        _listener = listener;
        Url = url;
        Host = host;
        Port = port;
        Content = new ContentStore();
        _handler = new RegistryRequestHandler(Content);
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>The base URL, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Url { get; }

    /// <summary>The registry as it is written in an image reference, e.g. <c>127.0.0.1:41234</c>.</summary>
    public string Host { get; }

    /// <summary>The TCP port the server listens on.</summary>
    public int Port { get; }

    /// <summary>What the server serves; add to it at any time.</summary>
    public ContentStore Content { get; }

    /// <summary>Whether the server still accepts requests.</summary>
    public bool IsRunning => Volatile.Read(ref _stopped) == 0 && _listener.IsListening;

    /// <summary>Starts a server and returns once it accepts connections.</summary>
    /// <param name="options">Address and port; loopback and a free port when null.</param>
    /// <param name="cancellationToken">Stops the retries when a free port keeps being taken.</param>
    /// <exception cref="OciException">The server could not listen (the port is taken, or the address is not local).</exception>
    /// <exception cref="NotSupportedException">The address is a specific IPv6 address and the platform's HttpListener cannot bind one.</exception>
    public static async Task<TestRegistryServer> StartAsync(TestRegistryOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new TestRegistryOptions();
        var address = options.Address ?? throw new ArgumentException("the test registry needs an address to listen on", nameof(options));
        if (options.Port is < 0 or > IPEndPoint.MaxPort)
        {
            throw new ArgumentException($"{options.Port} is not a TCP port", nameof(options));
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
            var port = options.Port != 0 ? options.Port : FindFreePort(address);
            var listener = TryListen(address, port, out var error);
            if (listener is not null)
            {
                var host = HostText(address, port);
                return new TestRegistryServer(listener, new Uri("http://" + host + "/"), host, port);
            }

            if (options.Port != 0 || attempt == MaxBindAttempts)
            {
                throw new OciException($"the test registry could not listen on {HostText(address, port)}: {error!.Message}", error);
            }

            await Task.Delay(10 * attempt, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops accepting, aborts requests in flight and waits (a few seconds at most) for their handlers to end.</summary>
    public async Task StopAsync()
    {
        StopListening();
        await _acceptLoop.ConfigureAwait(false);
        if (Volatile.Read(ref _pending) == 0)
        {
            _drained.TrySetResult(true);
        }

        await Task.WhenAny(_drained.Task, Task.Delay(DrainTimeout)).ConfigureAwait(false);
    }

    /// <summary>Stops the server at once; handlers of aborted requests end on their own.</summary>
    public void Dispose() => StopListening();

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

    private void StopListening()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        _stopping.Cancel();
        foreach (var exchange in _inFlight.Keys)
        {
            exchange.Abort();
        }

        // Abort, unlike Stop, also closes the connections the listener still holds, idle keep-alive ones included.
        _listener.Abort();
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
        RegistryExchange? exchange = null;
        try
        {
            exchange = new RegistryExchange(context);
            _inFlight.TryAdd(exchange, 0);
            if (_stopping.IsCancellationRequested)
            {
                exchange.Abort();
                return;
            }

            try
            {
                await _handler.HandleAsync(exchange, _stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (!exchange.HeadersSent && !_stopping.IsCancellationRequested)
            {
                await exchange.SendInternalErrorAsync(e, _stopping.Token).ConfigureAwait(false);
            }
        }
        catch (Exception)
        {
            // The client went away, the server is stopping, or the failure came after the headers: the
            // connection is all that can still be dropped. Nothing escapes to the accept loop.
            if (exchange is not null)
            {
                exchange.Abort();
            }
            else
            {
                RegistryExchange.Abort(context);
            }
        }
        finally
        {
            if (exchange is not null)
            {
                _inFlight.TryRemove(exchange, out _);
            }

            if (Interlocked.Decrement(ref _pending) == 0 && _stopping.IsCancellationRequested)
            {
                _drained.TrySetResult(true);
            }
        }
    }
}
