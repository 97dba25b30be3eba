using System;
using System.Threading;
using System.Threading.Tasks;

namespace OciRegistry.Core.Archive;

/// <summary>
/// The data of the reader's current entry: reads pass through to the archive stream, bounded by what is left of the
/// entry, so a caller can hash or copy a large file without an intermediate buffer of ours.
/// </summary>
internal sealed class TarEntryStream : ReadOnlyStream
{
    private readonly TarReader _reader;
    private readonly int _generation;

    public TarEntryStream(TarReader reader, int generation)
    {
        _reader = reader;
        _generation = generation;
    }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count)
    {
        CheckArguments(buffer, offset, count);
        return _reader.ReadData(_generation, buffer, offset, count);
    }

    /// <inheritdoc/>
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        CheckArguments(buffer, offset, count);
        return _reader.ReadDataAsync(_generation, buffer, offset, count, cancellationToken);
    }

    private static void CheckArguments(byte[] buffer, int offset, int count)
    {
        if (buffer is null)
        {
            throw new ArgumentNullException(nameof(buffer));
        }

        if (offset < 0 || count < 0 || count > buffer.Length - offset)
        {
            throw new ArgumentOutOfRangeException(nameof(count), "offset and count do not fit the buffer");
        }
    }
}
