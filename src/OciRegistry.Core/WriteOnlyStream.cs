using System;
using System.IO;

namespace OciRegistry.Core;

/// <summary>
/// The part of a forward-only, write-only <see cref="Stream"/> that is the same for every one: no seeking, no
/// reading, no length or position. A derived stream implements <see cref="Stream.Write(byte[], int, int)"/>,
/// <see cref="Stream.Flush"/> and usually their asynchronous forms.
/// </summary>
public abstract class WriteOnlyStream : Stream
{
    /// <inheritdoc/>
    public override bool CanRead => false;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override bool CanWrite => true;

    /// <inheritdoc/>
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();
}
