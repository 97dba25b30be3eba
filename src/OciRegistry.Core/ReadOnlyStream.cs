using System;
using System.IO;

namespace OciRegistry.Core;

/// <summary>
/// The part of a forward-only, read-only <see cref="Stream"/> that is the same for every one: no seeking, no writing,
/// no length or position unless a derived stream knows them, and nothing to flush. A derived stream implements
/// <see cref="Stream.Read(byte[], int, int)"/> and usually <see cref="Stream.ReadAsync(byte[], int, int, System.Threading.CancellationToken)"/>.
/// </summary>
public abstract class ReadOnlyStream : Stream
{
    /// <inheritdoc/>
    public override bool CanRead => true;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override bool CanWrite => false;

    /// <inheritdoc/>
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Does nothing: a read-only stream has nothing to flush.</summary>
    public override void Flush()
    {
    }

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
