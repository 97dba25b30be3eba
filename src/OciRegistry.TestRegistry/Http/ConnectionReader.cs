using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace OciRegistry.TestRegistry.Http;

/// <summary>
/// The receiving side of one connection: a buffer that holds at most one request head (capped) plus whatever came
/// after it, from which heads are cut and bodies read. Every read is guarded by the connection's watchdog.
/// </summary>
internal sealed class ConnectionReader
{
    private const int InitialBufferSize = 16 * 1024;

    private readonly Stream _stream;
    private readonly Watchdog _watchdog;
    private readonly HttpServerLimits _limits;
    private byte[] _buffer = new byte[InitialBufferSize];
    private int _start;
    private int _end;

    public ConnectionReader(Stream stream, Watchdog watchdog, HttpServerLimits limits)
    {
        _stream = stream;
        _watchdog = watchdog;
        _limits = limits;
    }

    /// <summary>
    /// Reads the next request head: waits up to the idle timeout for its first byte, then up to the header timeout
    /// for the rest. Null when the client closed the connection between requests.
    /// </summary>
    /// <exception cref="HttpProtocolException">The head is too long (414, 431) or malformed.</exception>
    /// <exception cref="IOException">The connection failed or closed in the middle of a head, or a timeout closed it.</exception>
    public async Task<RequestHead?> ReadHeadAsync(CancellationToken cancellationToken)
    {
        SkipEmptyLines();
        var scanned = _start;
        var lineStart = _start;
        var requestLineDone = false;
        var started = _end > _start;
        _watchdog.Arm(started ? _limits.RequestHeadersTimeout : _limits.IdleTimeout);
        try
        {
            while (true)
            {
                for (; scanned < _end; scanned++)
                {
                    var b = _buffer[scanned];
                    if (b != '\n')
                    {
                        // A request line is printable ASCII. Anything else (a TLS ClientHello starts with 0x16) is
                        // refused at once: a client probing for HTTPS learns so now, not after the header timeout.
                        if (!requestLineDone && ((b < 0x20 && b != '\r') || b >= 0x7F))
                        {
                            throw new HttpProtocolException(400, "this is not an HTTP/1.1 request line (the server speaks plain HTTP, not TLS)");
                        }

                        continue;
                    }

                    var empty = scanned == lineStart || (scanned == lineStart + 1 && _buffer[lineStart] == '\r');
                    if (empty && requestLineDone)
                    {
                        if (scanned + 1 - _start > _limits.MaxRequestHeadersLength)
                        {
                            throw new HttpProtocolException(431, $"the request headers are longer than {_limits.MaxRequestHeadersLength} bytes");
                        }

                        var head = RequestHead.Parse(_buffer, _start, scanned + 1 - _start);
                        _start = scanned + 1;
                        return head;
                    }

                    if (!requestLineDone && scanned - _start > _limits.MaxRequestLineLength)
                    {
                        throw new HttpProtocolException(414, $"the request line is longer than {_limits.MaxRequestLineLength} bytes");
                    }

                    requestLineDone = true;
                    lineStart = scanned + 1;
                }

                if (!requestLineDone && _end - _start > _limits.MaxRequestLineLength)
                {
                    throw new HttpProtocolException(414, $"the request line is longer than {_limits.MaxRequestLineLength} bytes");
                }

                if (_end - _start > _limits.MaxRequestHeadersLength)
                {
                    throw new HttpProtocolException(431, $"the request headers are longer than {_limits.MaxRequestHeadersLength} bytes");
                }

                var offset = _start;
                if (await FillAsync(_limits.MaxRequestHeadersLength + 1, cancellationToken).ConfigureAwait(false) == 0)
                {
                    if (_end == _start && !started)
                    {
                        return null;
                    }

                    throw new IOException("the client closed the connection in the middle of a request head");
                }

                // Filling may have moved the bytes to the front of the buffer.
                scanned -= offset - _start;
                lineStart -= offset - _start;
                if (!started)
                {
                    started = true;
                    SkipEmptyLines();
                    scanned = lineStart = _start;
                    _watchdog.Arm(_limits.RequestHeadersTimeout);
                }
            }
        }
        finally
        {
            _watchdog.Disarm();
        }
    }

    /// <summary>Reads up to <paramref name="count"/> bytes of the body: buffered ones first, then from the socket.</summary>
    /// <returns>The number of bytes read; 0 when the client closed the connection.</returns>
    public async Task<int> ReadAsync(byte[] destination, int offset, int count, CancellationToken cancellationToken)
    {
        if (_end > _start)
        {
            var take = Math.Min(count, _end - _start);
            Buffer.BlockCopy(_buffer, _start, destination, offset, take);
            _start += take;
            return take;
        }

        // Large reads go straight into the caller's buffer.
        _watchdog.Arm(_limits.IdleTimeout);
        try
        {
            return await _stream.ReadAsync(destination, offset, count, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _watchdog.Disarm();
        }
    }

    /// <summary>Reads one line (for chunk sizes and trailers), without its line ending; at most <paramref name="maxLength"/> bytes.</summary>
    /// <exception cref="HttpProtocolException">The line is longer than allowed.</exception>
    /// <exception cref="IOException">The connection closed first.</exception>
    public async Task<string> ReadLineAsync(int maxLength, CancellationToken cancellationToken)
    {
        var scanned = _start;
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', scanned, _end - scanned);
            if (newline >= 0)
            {
                var length = newline - _start;
                if (length > 0 && _buffer[newline - 1] == '\r')
                {
                    length--;
                }

                var chars = new char[length];
                for (var i = 0; i < length; i++)
                {
                    chars[i] = (char)_buffer[_start + i];
                }

                _start = newline + 1;
                return new string(chars);
            }

            if (_end - _start > maxLength)
            {
                throw new HttpProtocolException(400, $"a line of the chunked body is longer than {maxLength} bytes");
            }

            var consumed = _end - _start;
            _watchdog.Arm(_limits.IdleTimeout);
            try
            {
                if (await FillAsync(maxLength + 2, cancellationToken).ConfigureAwait(false) == 0)
                {
                    throw new IOException("the client closed the connection in the middle of a chunked body");
                }
            }
            finally
            {
                _watchdog.Disarm();
            }

            scanned = _start + consumed;
        }
    }

    // RFC 9112 §2.2: a server SHOULD ignore at least one empty line received before the request line.
    private void SkipEmptyLines()
    {
        while (_start < _end && (_buffer[_start] == '\n' || (_buffer[_start] == '\r' && _start + 1 < _end && _buffer[_start + 1] == '\n')))
        {
            _start += _buffer[_start] == '\n' ? 1 : 2;
        }
    }

    // Reads more bytes after the ones buffered, moving them to the front or growing the buffer (up to a bit more than
    // the largest thing that is ever held whole) when there is no room.
    private async Task<int> FillAsync(int mostHeld, CancellationToken cancellationToken)
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }

        if (_end == _buffer.Length)
        {
            var held = _end - _start;
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, held);
            }
            else
            {
                var larger = new byte[Math.Min(Math.Max(_buffer.Length * 2, InitialBufferSize), mostHeld + InitialBufferSize)];
                Buffer.BlockCopy(_buffer, 0, larger, 0, held);
                _buffer = larger;
            }

            _start = 0;
            _end = held;
        }

        var read = await _stream.ReadAsync(_buffer, _end, _buffer.Length - _end, cancellationToken).ConfigureAwait(false);
        _end += read;
        return read;
    }
}
