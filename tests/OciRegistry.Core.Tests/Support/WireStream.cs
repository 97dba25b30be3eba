using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace OciRegistry.Core.Tests.Support;

/// <summary>
/// A body as a network delivers it: not seekable (so no length is announced unless a header says so), handed out
/// in pieces, optionally with a pause before each piece or a stall after some bytes that only cancellation ends.
/// </summary>
internal sealed class WireStream(byte[] data, int pieceSize = 1024, int stallAfter = -1, TimeSpan pause = default) : ReadOnlyStream
{
    private int _position;

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        await ReadAsync(buffer.AsMemory(offset, count), cancellationToken);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (stallAfter >= 0 && _position >= stallAfter)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        if (pause > TimeSpan.Zero)
        {
            await Task.Delay(pause, cancellationToken);
        }

        var limit = stallAfter >= 0 ? Math.Min(data.Length, stallAfter) : data.Length;
        var count = Math.Min(Math.Min(buffer.Length, pieceSize), limit - _position);
        data.AsMemory(_position, count).CopyTo(buffer);
        _position += count;
        return count;
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("the core reads asynchronously");
}
