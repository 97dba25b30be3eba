using System;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.Client;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Transfer;

/// <summary>
/// Reads a blob from a position to its end, reconnecting with <c>Range: bytes=N-</c> when the connection drops,
/// resets, goes silent or ends early. A 206 must start at N (<c>Content-Range</c>); a 200 has its first N bytes
/// skipped. Each reconnect asks the registry afresh, so a redirect to a CDN is followed anew. With an end, the
/// stream reads one part of the blob (<c>Range: bytes=N-(end-1)</c>) and ends there; one made to
/// <c>requireRange</c> throws <see cref="RangeNotServedException"/> when its first answer is the whole blob.
/// </summary>
/// <remarks>
/// The seed's retryReader, with one change: the count of failures in a row resets whenever bytes arrived since the
/// last one, so a connection cut every few megabytes still finishes, while one that delivers nothing gives up.
/// </remarks>
internal sealed class ResumingBlobStream : ReadOnlyStream
{
    private readonly RegistryClient _client;
    private readonly Reference _repository;
    private readonly Digest _digest;
    private readonly long _size;
    private readonly long _end;
    private readonly bool _requireRange;
    private readonly Action<TimeSpan>? _onWait;
    private HttpResponseMessage? _response;
    private Stream? _body;
    private long _position;
    private long _positionAtLastFailure = -1;
    private int _failuresInARow;

    public ResumingBlobStream(RegistryClient client, Reference repository, Digest digest, long size, long position, Action<TimeSpan>? onWait)
        : this(client, repository, digest, size, position, size, requireRange: false, onWait)
    {
    }

    /// <summary>A stream over the bytes from <paramref name="position"/> up to <paramref name="end"/> of the blob.</summary>
    public ResumingBlobStream(RegistryClient client, Reference repository, Digest digest, long size, long position, long end, bool requireRange, Action<TimeSpan>? onWait)
    {
        if (end > size || position > end)
        {
            throw new ArgumentOutOfRangeException(nameof(end), end, $"A part of a blob of {size} bytes must end within it, after its start ({position}).");
        }

        _client = client;
        _repository = repository;
        _digest = digest;
        _size = size;
        _end = end;
        _requireRange = requireRange;
        _position = position;
        _onWait = onWait;
    }

    /// <summary>How many times the stream connected (the first request included).</summary>
    public int Attempts { get; private set; }

    public override long Length => _end;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        if (_position >= _end || count == 0)
        {
            return 0;
        }

        count = (int)Math.Min(count, _end - _position);
        while (true)
        {
            // Connecting goes through the client's retry policy already; only a body that breaks off is ours to resume.
            _body ??= await ConnectAsync(cancellationToken).ConfigureAwait(false);
            if (_body is null)
            {
                return 0;
            }

            try
            {
                var read = await _body.ReadAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false);
                if (read > 0)
                {
                    _position += read;
                    return read;
                }

                throw new IOException($"the connection ended after {_position} of {_end} bytes");
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is IOException or HttpRequestException)
            {
                Disconnect();
                await WaitBeforeReconnectAsync(e, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Makes the first request now, so that what fails for good (a refusal, a missing blob, a refused range, a size
    /// that is not the descriptor's) fails before the caller creates anything on disk.
    /// </summary>
    /// <summary>A stream over the blob from <paramref name="position"/>, its first request made (see <see cref="OpenAsync"/>).</summary>
    public static async Task<ResumingBlobStream> OpenAtAsync(RegistryClient client, Reference repository, Digest digest, long size, long position, CancellationToken cancellationToken)
    {
        var stream = new ResumingBlobStream(client, repository, digest, size, position, onWait: null);
        try
        {
            await stream.OpenAsync(cancellationToken).ConfigureAwait(false);
            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        if (_body is null && _position < _end)
        {
            _body = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("Blob streams are read asynchronously.");

    private async Task<Stream?> ConnectAsync(CancellationToken cancellationToken)
    {
        Attempts++;
        _response = await _client.OpenBlobRangeAsync(_repository, _digest, _position, _end < _size ? _end : null, _onWait, cancellationToken).ConfigureAwait(false);
        var status = (int)_response.StatusCode;
        if (status == 416)
        {
            // The registry says there is nothing past our position: only right if we are at the end.
            var total = _response.Content.Headers.ContentRange?.Length;
            if (total == _size && _position == _size)
            {
                return null;
            }

            throw new OciException($"the registry refused the range bytes={_position}- of {_digest} (HTTP 416) though the blob is {_size} bytes");
        }

        // A size the registry announces that is not the descriptor's is wrong content, not a network to wait for.
        var announced = status == 206 ? _response.Content.Headers.ContentRange?.Length : _response.Content.Headers.ContentLength;
        if (announced is { } served && served != _size)
        {
            Disconnect();
            throw new ContentVerificationException(ContentKind.Blob,
                $"the registry serves the blob {_digest} as {served} bytes, but its descriptor says {_size}; nothing more was downloaded", _digest);
        }

        var body = await _response.Content.ReadAsStreamAsync().ConfigureAwait(false);
        if (status == 206)
        {
            var range = _response.Content.Headers.ContentRange;
            if (range is null || !range.HasRange || range.From != _position)
            {
                throw new OciException($"the registry answered a request for bytes={_position}- of {_digest} with the range '{range}'");
            }

            return body;
        }

        if (_requireRange && Attempts == 1)
        {
            Disconnect();
            throw new RangeNotServedException(_digest);
        }

        // A 200 is the whole blob: skip what we already have (and stop reading at the end of the part).
        await SkipAsync(body, _position, cancellationToken).ConfigureAwait(false);
        return body;
    }

    private static async Task SkipAsync(Stream body, long count, CancellationToken cancellationToken)
    {
        var scratch = new byte[Math.Min(count, 256 * 1024)];
        while (count > 0)
        {
            var read = await body.ReadAsync(scratch, 0, (int)Math.Min(scratch.Length, count), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException("the connection ended while skipping bytes already downloaded");
            }

            count -= read;
        }
    }

    private async Task WaitBeforeReconnectAsync(Exception failure, CancellationToken cancellationToken)
    {
        var backoff = _client.Backoff;
        if (_position > _positionAtLastFailure)
        {
            // Bytes arrived since the last failure: a cut connection, not a dead registry. Reconnect at once.
            _failuresInARow = 0;
            _positionAtLastFailure = _position;
            return;
        }

        _failuresInARow++;
        if (_failuresInARow > backoff.Options.MaxRetries)
        {
            throw new IOException($"gave up on {_digest} at byte {_position} of {_size} after {_failuresInARow} failed reconnects: {failure.Message}", failure);
        }

        var delay = backoff.Delay(_failuresInARow - 1, (failure as RegistryResponseException)?.RetryAfter);
        _onWait?.Invoke(delay);
        await backoff.WaitAsync(delay, cancellationToken).ConfigureAwait(false);
    }

    private void Disconnect()
    {
        _body?.Dispose();
        _response?.Dispose();
        _body = null;
        _response = null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Disconnect();
        }

        base.Dispose(disposing);
    }
}
