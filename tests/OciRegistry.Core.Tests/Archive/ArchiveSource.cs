using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace OciRegistry.Core.Tests.Archive;

/// <summary>
/// An archive as a layer download delivers it: not seekable, in pieces, and counting what was read, so tests can
/// check that the reader stops where it should and never reads a refused record's body.
/// </summary>
internal sealed class ArchiveSource(byte[] data, int pieceSize = 4096) : ReadOnlyStream
{
    public long BytesRead { get; private set; }

    public bool Disposed { get; private set; }

    public override int Read(byte[] buffer, int offset, int count) => Next(buffer.AsSpan(offset, count));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Next(buffer.AsSpan(offset, count)));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Next(buffer.Span));

    protected override void Dispose(bool disposing)
    {
        Disposed = true;
        base.Dispose(disposing);
    }

    private int Next(Span<byte> buffer)
    {
        var count = (int)Math.Min(Math.Min(buffer.Length, pieceSize), data.Length - BytesRead);
        data.AsSpan((int)BytesRead, count).CopyTo(buffer);
        BytesRead += count;
        return count;
    }
}
