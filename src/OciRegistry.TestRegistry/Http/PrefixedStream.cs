using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace OciRegistry.TestRegistry.Http;

/// <summary>A stream that first gives back bytes already read from it (a peek), then reads on from the inner stream.</summary>
internal sealed class PrefixedStream(byte[] prefix, Stream inner) : InterceptingStream(inner)
{
    private int _position;

    public override int Read(byte[] buffer, int offset, int count) =>
        _position < prefix.Length ? FromPrefix(buffer, offset, count) : Inner.Read(buffer, offset, count);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _position < prefix.Length ? Task.FromResult(FromPrefix(buffer, offset, count)) : Inner.ReadAsync(buffer, offset, count, cancellationToken);

    private int FromPrefix(byte[] buffer, int offset, int count)
    {
        var n = Math.Min(count, prefix.Length - _position);
        Buffer.BlockCopy(prefix, _position, buffer, offset, n);
        _position += n;
        return n;
    }
}
