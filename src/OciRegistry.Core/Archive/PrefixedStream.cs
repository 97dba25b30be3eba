using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace OciRegistry.Core.Archive;

/// <summary>
/// A few bytes already read from a stream, then the rest of that stream: how magic bytes are peeked from a stream
/// that cannot seek without losing them. Disposing it leaves the inner stream open.
/// </summary>
internal sealed class PrefixedStream : ReadOnlyStream
{
    private readonly byte[] _prefix;
    private readonly int _prefixLength;
    private readonly Stream _inner;
    private int _prefixPosition;

    public PrefixedStream(byte[] prefix, int prefixLength, Stream inner)
    {
        _prefix = prefix;
        _prefixLength = prefixLength;
        _inner = inner;
    }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) =>
        TryReadPrefix(buffer, offset, count, out var copied) ? copied : _inner.Read(buffer, offset, count);

    /// <inheritdoc/>
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        TryReadPrefix(buffer, offset, count, out var copied) ? Task.FromResult(copied) : _inner.ReadAsync(buffer, offset, count, cancellationToken);

    private bool TryReadPrefix(byte[] buffer, int offset, int count, out int copied)
    {
        copied = 0;
        if (_prefixPosition >= _prefixLength || count == 0)
        {
            return count == 0;
        }

        copied = Math.Min(count, _prefixLength - _prefixPosition);
        Buffer.BlockCopy(_prefix, _prefixPosition, buffer, offset, copied);
        _prefixPosition += copied;
        return true;
    }
}
