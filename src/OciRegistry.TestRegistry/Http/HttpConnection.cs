using System;
using System.IO;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.TestRegistry.Tls;

namespace OciRegistry.TestRegistry.Http;

/// <summary>
/// One client connection: reads requests one after another (keep-alive and pipelining, RFC 9112 §9.3), hands each
/// to the server's callback, and decides after each response whether the connection can carry another.
/// Whatever the client does, it holds at most one capped request head in memory and one timer, and a connection
/// that goes silent, trickles its headers or sends something malformed is answered (where it can be) and closed.
/// With TLS, the handshake comes first, bounded by the header timeout, and everything after it goes through the
/// encrypted stream.
/// </summary>
internal sealed class HttpConnection : IDisposable
{
    private readonly Socket _socket;
    private readonly HttpServerLimits _limits;
    private readonly Func<string?, bool> _hostAllowed;
    private readonly ServerTls? _tls;
    private readonly Watchdog _watchdog;
    private readonly NetworkStream _network;
    private Stream _stream; // the network stream, or with TLS the SslStream over it
    private ConnectionReader _reader;
    private int _closed;

    public HttpConnection(Socket socket, HttpServerLimits limits, Func<string?, bool> hostAllowed, ServerTls? tls = null)
    {
        _socket = socket;
        _socket.NoDelay = true;
        _network = new NetworkStream(socket, ownsSocket: false);
        _stream = _network;
        _limits = limits;
        _hostAllowed = hostAllowed;
        _tls = tls;
        _watchdog = new Watchdog(Close);
        _reader = new ConnectionReader(_stream, _watchdog, limits);
    }

    /// <summary>Serves requests until the client or a limit closes the connection, or <paramref name="stopping"/> is cancelled.</summary>
    public async Task RunAsync(Func<HttpServerContext, CancellationToken, Task> serve, CancellationToken stopping)
    {
        try
        {
            if (_tls is not null && !await HandshakeAsync(_tls).ConfigureAwait(false))
            {
                return;
            }

            while (!stopping.IsCancellationRequested)
            {
                RequestHead? head;
                try
                {
                    head = await _reader.ReadHeadAsync(stopping).ConfigureAwait(false);
                }
                catch (HttpProtocolException e)
                {
                    await RefuseAsync(e, stopping).ConfigureAwait(false);
                    return;
                }

                if (head is null)
                {
                    return;
                }

                if (!_hostAllowed(head.HostName))
                {
                    // Answered before the body is read, however slowly it comes; a foreign name is what a DNS rebinding
                    // attack from a browser page sends to a loopback server.
                    await RefuseAsync(new HttpProtocolException(400, $"the Host header names '{head.HostName}', which is not this server"), stopping).ConfigureAwait(false);
                    return;
                }

                if (!await ServeOneAsync(head, serve, stopping).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or HttpProtocolException or InvalidOperationException or AuthenticationException)
        {
            // The client went away, a timeout or the server closed the socket, or the body broke its framing: all
            // that is left is to drop the connection.
        }
        finally
        {
            Close();
        }
    }

    /// <summary>Drops the connection; pending reads and writes fail.</summary>
    public void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 1)
        {
            return;
        }

        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already reset by the peer.
        }

        _socket.Dispose();
    }

    public void Dispose()
    {
        Close();
        _stream.Dispose();
        _network.Dispose();
        _watchdog.Dispose();
    }

    // A client that connects and never finishes the handshake is dropped after the header timeout; one that fails it
    // (an untrusted or missing client certificate) is dropped at once, after the alert. A plain HTTP request (its
    // first byte is not a TLS handshake record's, 22) is answered 400 in plain HTTP, as Go's servers do, so that a
    // client told to use http:// learns why at once instead of retrying a dropped connection.
    private async Task<bool> HandshakeAsync(ServerTls tls)
    {
        _watchdog.Arm(_limits.RequestHeadersTimeout);
        try
        {
            var first = new byte[1];
            if (await _network.ReadAsync(first, 0, 1).ConfigureAwait(false) == 0)
            {
                return false;
            }

            if (first[0] != 22)
            {
                var refusal = HttpServerResponse.StatusOnly(400, "this registry speaks HTTPS: the client sent a plain HTTP request", close: true);
                await _network.WriteAsync(refusal, 0, refusal.Length).ConfigureAwait(false);
                await LingerAsync().ConfigureAwait(false);
                return false;
            }

            _stream = await tls.AuthenticateAsync(new PrefixedStream(first, _network)).ConfigureAwait(false);
            _reader = new ConnectionReader(_stream, _watchdog, _limits);
            return true;
        }
        catch (AuthenticationException)
        {
            return false;
        }
        finally
        {
            _watchdog.Disarm();
        }
    }

    // One exchange; whether the connection may carry the next request.
    private async Task<bool> ServeOneAsync(RequestHead head, Func<HttpServerContext, CancellationToken, Task> serve, CancellationToken stopping)
    {
        HttpServerResponse? response = null;
        var body = new RequestBodyStream(_reader, head, _limits, async cancellationToken =>
        {
            if (head.ExpectsContinue && response is { HeadersSent: false })
            {
                await WriteAsync(HttpServerResponse.StatusOnly(100, null, close: false), cancellationToken).ConfigureAwait(false);
            }
        });
        response = new HttpServerResponse(_stream, _watchdog, _limits.IdleTimeout, head.Method == "HEAD", () => CanKeepAlive(head, body, stopping), Close);
        await serve(new HttpServerContext(new HttpServerRequest(head, body), response), stopping).ConfigureAwait(false);
        if (response.IsAborted)
        {
            return false;
        }

        await response.CompleteAsync(stopping).ConfigureAwait(false);
        if (!response.KeepAlive)
        {
            await LingerAsync().ConfigureAwait(false);
            return false;
        }

        // A small body nobody read is drained so the next request starts where it should.
        return body.IsComplete || await body.DrainAsync(HttpServerLimits.MaxDrainLength, stopping).ConfigureAwait(false);
    }

    // Decided when the response head goes out: a body the handler left unread must be small enough to drain, and must
    // not be one the client holds back until it sees 100 Continue.
    private static bool CanKeepAlive(RequestHead head, RequestBodyStream body, CancellationToken stopping) =>
        head.KeepAlive && !stopping.IsCancellationRequested &&
        (body.IsComplete || (body.Remaining is >= 0 and <= HttpServerLimits.MaxDrainLength && (body.Started || !head.ExpectsContinue)));

    private async Task RefuseAsync(HttpProtocolException error, CancellationToken cancellationToken)
    {
        await WriteAsync(HttpServerResponse.StatusOnly(error.StatusCode, error.Message, close: true), cancellationToken).ConfigureAwait(false);
        await LingerAsync().ConfigureAwait(false);
    }

    private async Task WriteAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        _watchdog.Arm(_limits.IdleTimeout);
        try
        {
            await _stream.WriteAsync(bytes, 0, bytes.Length, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _watchdog.Disarm();
        }
    }

    // Closing a socket with unread input resets it, and a reset can destroy the response before the client reads it
    // (RFC 9112 §9.6): send FIN first, then read and discard for a moment.
    private async Task LingerAsync()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Send);
            var scratch = new byte[16 * 1024];
            _watchdog.Arm(HttpServerLimits.LingerTime);
            for (var total = 0; total < HttpServerLimits.MaxLingerLength;)
            {
                // The raw bytes: with TLS there is nothing to decrypt, only to drain.
                var read = await _network.ReadAsync(scratch, 0, scratch.Length).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // Reset, closed by the watchdog, or gone: lingering is over either way.
        }
        finally
        {
            _watchdog.Disarm();
        }
    }
}
