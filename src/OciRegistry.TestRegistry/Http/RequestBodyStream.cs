using System;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core;

namespace OciRegistry.TestRegistry.Http;

/// <summary>
/// The body of one request, framed by its Content-Length or by chunks (https://www.rfc-editor.org/rfc/rfc9112#section-7.1):
/// reads end at the body's end, never in the next request, and a client that closes early fails the read.
/// The first read sends <c>100 Continue</c> when the client waits for it.
/// </summary>
internal sealed class RequestBodyStream : ReadOnlyStream
{
    private readonly ConnectionReader _reader;
    private readonly HttpServerLimits _limits;
    private readonly bool _chunked;
    private readonly Func<CancellationToken, Task> _beforeFirstRead;
    private long _remaining; // of the body, or of the current chunk
    private bool _started;
    private bool _done;

    public RequestBodyStream(ConnectionReader reader, RequestHead head, HttpServerLimits limits, Func<CancellationToken, Task> beforeFirstRead)
    {
        _reader = reader;
        _limits = limits;
        _chunked = head.IsChunked;
        _remaining = _chunked ? 0 : head.ContentLength;
        _done = !_chunked && _remaining == 0;
        _beforeFirstRead = beforeFirstRead;
    }

    /// <summary>Whether the whole body has been read.</summary>
    public bool IsComplete => _done;

    /// <summary>Whether anything asked for the body (and so got a <c>100 Continue</c> where one was expected).</summary>
    public bool Started => _started;

    /// <summary>How much of a Content-Length body is left; -1 for a chunked one.</summary>
    public long Remaining => _chunked ? -1 : _remaining;

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        if (_done || count == 0)
        {
            return 0;
        }

        if (!_started)
        {
            _started = true;
            await _beforeFirstRead(cancellationToken).ConfigureAwait(false);
        }

        if (_chunked && _remaining == 0 && !await NextChunkAsync(cancellationToken).ConfigureAwait(false))
        {
            return 0;
        }

        var read = await _reader.ReadAsync(buffer, offset, (int)Math.Min(count, _remaining), cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            throw new IOException("the client closed the connection before the end of the request body");
        }

        _remaining -= read;
        if (_remaining == 0)
        {
            if (_chunked)
            {
                await ExpectLineEndAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                _done = true;
            }
        }

        return read;
    }

    /// <summary>Reads and discards what is left, up to <paramref name="limit"/> bytes; whether the body is then complete.</summary>
    public async Task<bool> DrainAsync(long limit, CancellationToken cancellationToken)
    {
        var scratch = new byte[8192];
        for (var drained = 0L; !_done && drained <= limit;)
        {
            drained += await ReadAsync(scratch, 0, scratch.Length, cancellationToken).ConfigureAwait(false);
        }

        return _done;
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("the request body is read asynchronously");

    // chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF; last-chunk = 1*("0") [ chunk-ext ] CRLF, then trailers and CRLF.
    private async Task<bool> NextChunkAsync(CancellationToken cancellationToken)
    {
        var line = await _reader.ReadLineAsync(HttpServerLimits.MaxChunkLineLength, cancellationToken).ConfigureAwait(false);
        var semicolon = line.IndexOf(';');
        var hex = (semicolon < 0 ? line : line.Substring(0, semicolon)).Trim(' ', '\t');
        if (hex.Length is 0 or > 15 || !long.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size))
        {
            throw new HttpProtocolException(400, "a chunk size is not a hexadecimal number");
        }

        if (size > 0)
        {
            _remaining = size;
            return true;
        }

        // Trailer fields are read and dropped, within the same cap as the headers.
        for (var total = 0; ;)
        {
            var trailer = await _reader.ReadLineAsync(_limits.MaxRequestHeadersLength, cancellationToken).ConfigureAwait(false);
            total += trailer.Length + 2;
            if (trailer.Length == 0)
            {
                break;
            }

            if (total > _limits.MaxRequestHeadersLength)
            {
                throw new HttpProtocolException(431, "the trailer fields of the chunked body are too long");
            }
        }

        _done = true;
        return false;
    }

    private async Task ExpectLineEndAsync(CancellationToken cancellationToken)
    {
        if ((await _reader.ReadLineAsync(2, cancellationToken).ConfigureAwait(false)).Length != 0)
        {
            throw new HttpProtocolException(400, "a chunk is longer than its size says");
        }
    }
}
