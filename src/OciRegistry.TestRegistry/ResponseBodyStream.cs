using System;
using System.Buffers;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core;

namespace OciRegistry.TestRegistry;

/// <summary>
/// The body of one response on its way to the connection: counts the bytes for the request log and applies the
/// body faults of a <see cref="BodyFaultPlan"/> as the bytes pass, so blobs still stream chunk by chunk. Write-only.
/// </summary>
internal sealed class ResponseBodyStream : WriteOnlyStream
{
    // A trickle sends a slice every 50 ms or so; large enough that the timer is not the bottleneck.
    private const int TrickleSlicesPerSecond = 20;

    private readonly Stream _inner;
    private readonly RequestLogEntry _entry;
    private readonly BodyFaultPlan? _plan;
    private readonly Action _abort;
    private readonly Stopwatch _clock = new();
    private long _position;
    private long _written;

    /// <param name="inner">The connection's output stream.</param>
    /// <param name="entry">The log entry that counts the bytes.</param>
    /// <param name="plan">The body faults to apply, or null.</param>
    /// <param name="start">The position in the content of the first byte written.</param>
    /// <param name="abort">Drops the connection (for a cut).</param>
    public ResponseBodyStream(Stream inner, RequestLogEntry entry, BodyFaultPlan? plan, long start, Action abort)
    {
        _inner = inner;
        _entry = entry;
        _plan = plan;
        _position = start;
        _abort = abort;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        if (_plan is null)
        {
            // Counted before the write: a client that has read the last byte finds the log complete.
            _entry.AddBytes(count);
            return _inner.WriteAsync(buffer, offset, count, cancellationToken);
        }

        return WriteWithFaultsAsync(buffer, offset, count, cancellationToken);
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override void Flush() => _inner.Flush();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("The response body is written asynchronously.");

    private async Task WriteWithFaultsAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        var plan = _plan!;
        _clock.Start();
        while (count > 0)
        {
            var piece = (long)count;
            if (plan.StallAt is { } stallAt)
            {
                piece = Math.Min(piece, stallAt - _position);
            }

            if (plan.CutAt is { } cutAt)
            {
                piece = Math.Min(piece, cutAt - _position);
            }

            if (plan.BytesPerSecond is { } rate)
            {
                piece = Math.Min(piece, Math.Max(1, Math.Min(rate / TrickleSlicesPerSecond, RegistryExchange.ChunkSize)));
            }

            if (piece <= 0)
            {
                await StallOrCutAsync(buffer, offset, cancellationToken).ConfigureAwait(false);
                return;
            }

            await WritePieceAsync(buffer, offset, (int)piece, cancellationToken).ConfigureAwait(false);
            offset += (int)piece;
            count -= (int)piece;
            await PaceAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WritePieceAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        _entry.AddBytes(count);
        if (_plan!.CorruptAt is { } flip && flip >= _position && flip < _position + count)
        {
            // The stored bytes are shared with every other request: corrupt a copy.
            var copy = ArrayPool<byte>.Shared.Rent(count);
            try
            {
                Buffer.BlockCopy(buffer, offset, copy, 0, count);
                copy[flip - _position] ^= 0xFF;
                await _inner.WriteAsync(copy, 0, count, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(copy);
            }
        }
        else
        {
            await _inner.WriteAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false);
        }

        _position += count;
        _written += count;
    }

    private async Task StallOrCutAsync(byte[] buffer, int offset, CancellationToken cancellationToken)
    {
        // A zero-length write puts the headers on the wire without a body byte: the client must see a response that
        // breaks off, not a connection that closed before answering (which a client may retry as a stale one).
        if (_written == 0)
        {
            await _inner.WriteAsync(buffer, offset, 0, cancellationToken).ConfigureAwait(false);
        }

        if (_plan!.StallAt == _position)
        {
            // Then nothing, until the server stops or the connection's idle timeout drops it.
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }

        // A drop, not a clean end: the client was promised more bytes than it gets.
        _entry.MarkAborted();
        _abort();
        throw new IOException($"the test registry cut the body at byte {_position} as a fault");
    }

    private async Task PaceAsync(CancellationToken cancellationToken)
    {
        if (_plan!.BytesPerSecond is not { } rate)
        {
            return;
        }

        var due = TimeSpan.FromSeconds(_written / (double)rate);
        var wait = due - _clock.Elapsed;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
        }
    }
}
