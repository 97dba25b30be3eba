using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace OciRegistry.Core.Archive;

/// <summary>
/// Reads a tar archive forward, one entry at a time, from a stream that need not seek (a layer as it is
/// decompressed). Reads ustar, pax (local and global records), GNU (long names and links, base-256 numbers) and old
/// v7 archives; refuses, with a <see cref="TarFormatException"/>, anything it cannot read faithfully: sparse files,
/// multi-volume archives, unknown entry types, damaged or truncated archives, and records over the
/// <see cref="TarLimits"/>. We write our own because netstandard2.0 has no System.Formats.Tar, and because a layer
/// comes from a registry we do not trust: every length it declares is checked before it is believed.
/// </summary>
/// <remarks>
/// The reader never disposes <c>tar</c>, and after the end-of-archive marker it reads nothing more from it: the
/// caller owns the stream and typically drains it so that the layer's digest covers every byte. Not thread-safe.
/// After any exception the reader is unusable; later calls throw <see cref="InvalidOperationException"/>.
/// Formats: POSIX.1-2017 pax (https://pubs.opengroup.org/onlinepubs/9699919799/utilities/pax.html), GNU tar manual
/// "Tar Internals"; behaviour compared with Go's archive/tar, the reader containerd and moby use for layers.
/// </remarks>
public sealed class TarReader : IDisposable
{
    /// <summary>The buffer unread data and padding are skipped through: one per reader, never per entry.</summary>
    private const int SkipBufferBytes = 64 * 1024;

    private readonly Stream _tar;
    private readonly int _maximumNameBytes;
    private readonly int _maximumPaxHeaderBytes;
    private readonly byte[] _block = new byte[TarHeader.BlockSize];
    private readonly PaxAttributes _local = new();
    private readonly PaxAttributes _global = new();
    private byte[]? _skipBuffer;
    private byte[] _recordBuffer = [];
    private long _position;
    private long _remainingData;
    private int _remainingPadding;
    private TarEntry? _current;
    private int _generation;
    private bool _ended;
    private bool _broken;
    private bool _disposed;

    /// <summary>Creates a reader over <paramref name="tar"/>, the uncompressed archive; the reader does not own it.</summary>
    public TarReader(Stream tar, TarLimits? limits = null)
    {
        _tar = tar ?? throw new ArgumentNullException(nameof(tar));
        if (!tar.CanRead)
        {
            throw new ArgumentException("the stream cannot be read", nameof(tar));
        }

        limits ??= TarLimits.Default;
        _maximumNameBytes = limits.MaximumNameBytes;
        _maximumPaxHeaderBytes = limits.MaximumPaxHeaderBytes;
    }

    /// <summary>How many entries <see cref="ReadNextAsync"/> has returned (pax, GNU and volume records not counted).</summary>
    public long EntryCount { get; private set; }

    /// <summary>
    /// Moves to the next entry, first skipping whatever of the current entry's data (and its padding) was not read.
    /// Returns null at the end of the archive: two zero blocks, one zero block and then the end of the stream, or the
    /// end of the stream where a header would start.
    /// </summary>
    public async Task<TarEntry?> ReadNextAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfUnusable();
        if (_ended)
        {
            return null;
        }

        try
        {
            await SkipRestOfEntryAsync(cancellationToken).ConfigureAwait(false);
            _current = null;
            _generation++;
            var entry = await ReadEntryAsync(cancellationToken).ConfigureAwait(false);
            if (entry is null)
            {
                _ended = true;
                return null;
            }

            _current = entry;
            _remainingData = entry.Size;
            _remainingPadding = Padding(entry.Size);
            EntryCount++;
            return entry;
        }
        catch
        {
            _broken = true;
            throw;
        }
    }

    /// <summary>
    /// A read-only, forward-only stream over the current entry's data: exactly <see cref="TarEntry.Size"/> bytes
    /// (less what was already read through another such stream), then the end. Reads go straight to the archive
    /// stream, never past the entry. It stops working at the next <see cref="ReadNextAsync"/>; disposing it does
    /// nothing to the archive.
    /// </summary>
    public Stream OpenData()
    {
        ThrowIfUnusable();
        if (_current is null)
        {
            throw new InvalidOperationException("there is no current entry: call ReadNextAsync first");
        }

        return new TarEntryStream(this, _generation);
    }

    /// <summary>Marks the reader disposed; the archive stream is left as it is (the caller owns it).</summary>
    public void Dispose() => _disposed = true;

    internal int ReadData(int generation, byte[] buffer, int offset, int count)
    {
        var want = DataRequest(generation, count);
        if (want == 0)
        {
            return 0;
        }

        var read = _tar.Read(buffer, offset, want);
        return DataRead(read);
    }

    internal async Task<int> ReadDataAsync(int generation, byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        var want = DataRequest(generation, count);
        if (want == 0)
        {
            return 0;
        }

        var read = await _tar.ReadAsync(buffer, offset, want, cancellationToken).ConfigureAwait(false);
        return DataRead(read);
    }

    private int DataRequest(int generation, int count)
    {
        ThrowIfUnusable();
        if (generation != _generation)
        {
            throw new ObjectDisposedException(nameof(TarEntryStream), "the reader has moved on to another entry");
        }

        return (int)Math.Min(count, _remainingData);
    }

    private int DataRead(int read)
    {
        if (read <= 0)
        {
            _broken = true;
            throw EndsInsideData();
        }

        _remainingData -= read;
        _position += read;
        return read;
    }

    private async Task<TarEntry?> ReadEntryAsync(CancellationToken cancellationToken)
    {
        _local.Clear();
        string? longName = null;
        string? longLink = null;
        var sawLocalPax = false;
        var firstOffset = -1L;
        while (true)
        {
            var offset = _position;
            var read = await ReadBlockAsync(cancellationToken).ConfigureAwait(false);
            var pending = sawLocalPax || longName is not null || longLink is not null;
            if (read == 0 && !pending)
            {
                return null;
            }

            if (read < TarHeader.BlockSize)
            {
                throw new TarFormatException(pending ? firstOffset : offset, _local.Path ?? longName,
                    pending && read == 0 ? "the archive ends after an extended header, before the entry it describes" : "the archive ends inside a header");
            }

            if (TarHeader.IsZeroBlock(_block))
            {
                if (pending)
                {
                    throw new TarFormatException(firstOffset, _local.Path ?? longName, "an end-of-archive block follows an extended header instead of the entry it describes");
                }

                return await ReadEndOfArchiveAsync(offset, cancellationToken).ConfigureAwait(false);
            }

            if (firstOffset < 0)
            {
                firstOffset = offset;
            }

            var header = TarHeader.Parse(_block, offset);
            switch ((char)header.TypeFlag)
            {
                case 'x':
                    if (sawLocalPax)
                    {
                        throw new TarFormatException(offset, _local.Path, "two pax extended headers in a row for one entry");
                    }

                    sawLocalPax = true;
                    await ApplyPaxAsync(header, offset, _local, global: false, cancellationToken).ConfigureAwait(false);
                    break;
                case 'g':
                    await ApplyPaxAsync(header, offset, _global, global: true, cancellationToken).ConfigureAwait(false);
                    break;
                case 'L':
                    longName = longName is null
                        ? await ReadLongNameAsync(header, offset, "name", cancellationToken).ConfigureAwait(false)
                        : throw new TarFormatException(offset, longName, "two GNU long-name records in a row for one entry");
                    break;
                case 'K':
                    longLink = longLink is null
                        ? await ReadLongNameAsync(header, offset, "link name", cancellationToken).ConfigureAwait(false)
                        : throw new TarFormatException(offset, longName, "two GNU long-link records in a row for one entry");
                    break;
                case 'V':
                    // A GNU volume label names the archive, not a file; its data (normally none) is skipped.
                    await SkipAsync(header.Size, Padding(header.Size), offset, header.Name, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    return TarEntryBuilder.Build(header, _block, firstOffset, offset, _local, _global, longName, longLink, _maximumNameBytes);
            }
        }
    }

    /// <summary>
    /// After one zero block, a second one or the end of the stream ends the archive. A header after a single zero
    /// block is refused, as Go's reader does: readers that stop at the first zero block would see a different archive.
    /// </summary>
    private async Task<TarEntry?> ReadEndOfArchiveAsync(long offset, CancellationToken cancellationToken)
    {
        var read = await ReadBlockAsync(cancellationToken).ConfigureAwait(false);
        if (read == 0 || (read == TarHeader.BlockSize && TarHeader.IsZeroBlock(_block)))
        {
            return null;
        }

        throw new TarFormatException(offset + TarHeader.BlockSize, null, read < TarHeader.BlockSize
            ? "the archive ends inside its end-of-archive marker"
            : "a header follows a single zero block, which ends the archive for other readers");
    }

    private async Task ApplyPaxAsync(TarHeader header, long offset, PaxAttributes target, bool global, CancellationToken cancellationToken)
    {
        var count = await ReadRecordBodyAsync(header, offset, global ? "pax global header" : "pax extended header", cancellationToken).ConfigureAwait(false);
        var problem = target.Apply(_recordBuffer, count, global, _maximumNameBytes);
        if (problem is not null)
        {
            throw new TarFormatException(offset, null, problem);
        }
    }

    private async Task<string> ReadLongNameAsync(TarHeader header, long offset, string what, CancellationToken cancellationToken)
    {
        var count = await ReadRecordBodyAsync(header, offset, $"GNU long {what} record", cancellationToken).ConfigureAwait(false);
        var length = TarText.FieldLength(_recordBuffer, 0, count);
        if (length > _maximumNameBytes)
        {
            throw new TarFormatException(offset, null, $"the GNU long {what} is {length} bytes, more than TarLimits.MaximumNameBytes ({_maximumNameBytes})");
        }

        return TarText.Decode(_recordBuffer, 0, length);
    }

    /// <summary>Reads a pax or long-name body into the reusable record buffer, checking the declared size against the cap first.</summary>
    private async Task<int> ReadRecordBodyAsync(TarHeader header, long offset, string what, CancellationToken cancellationToken)
    {
        if (header.Size > _maximumPaxHeaderBytes)
        {
            throw new TarFormatException(offset, null, $"the {what} is {header.Size} bytes, more than TarLimits.MaximumPaxHeaderBytes ({_maximumPaxHeaderBytes})");
        }

        var size = (int)header.Size;
        if (_recordBuffer.Length < size)
        {
            _recordBuffer = new byte[Math.Min(Math.Max(size, _recordBuffer.Length * 2), _maximumPaxHeaderBytes)];
        }

        var read = await ReadFullyAsync(_recordBuffer, 0, size, cancellationToken).ConfigureAwait(false);
        if (read < size)
        {
            throw new TarFormatException(offset, null, $"the archive ends inside a {what}");
        }

        await SkipAsync(0, Padding(size), offset, null, cancellationToken).ConfigureAwait(false);
        return size;
    }

    private async Task SkipRestOfEntryAsync(CancellationToken cancellationToken)
    {
        if (_current is null)
        {
            return;
        }

        await SkipAsync(_remainingData, _remainingPadding, _current.HeaderOffset, _current.Name, cancellationToken).ConfigureAwait(false);
        _remainingData = 0;
        _remainingPadding = 0;
    }

    /// <summary>Reads and drops <paramref name="data"/> bytes and then <paramref name="padding"/> bytes: the stream cannot seek.</summary>
    private async Task SkipAsync(long data, int padding, long offset, string? name, CancellationToken cancellationToken)
    {
        var left = data + padding;
        if (left == 0)
        {
            return;
        }

        _skipBuffer ??= new byte[SkipBufferBytes];
        while (left > 0)
        {
            var read = await _tar.ReadAsync(_skipBuffer, 0, (int)Math.Min(left, _skipBuffer.Length), cancellationToken).ConfigureAwait(false);
            if (read <= 0)
            {
                var missing = left > padding ? $"{left - padding} of its {data} data bytes and its padding are missing" : "its padding is missing";
                throw new TarFormatException(offset, name, $"the archive ends inside the entry: {missing}");
            }

            left -= read;
            _position += read;
        }
    }

    private async Task<int> ReadBlockAsync(CancellationToken cancellationToken) =>
        await ReadFullyAsync(_block, 0, TarHeader.BlockSize, cancellationToken).ConfigureAwait(false);

    private async Task<int> ReadFullyAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < count)
        {
            var read = await _tar.ReadAsync(buffer, offset + total, count - total, cancellationToken).ConfigureAwait(false);
            if (read <= 0)
            {
                break;
            }

            total += read;
            _position += read;
        }

        return total;
    }

    private TarFormatException EndsInsideData()
    {
        var entry = _current!;
        return new TarFormatException(entry.HeaderOffset, entry.Name,
            $"the archive ends inside the entry: {_remainingData} of its {entry.Size} data bytes are missing");
    }

    private static int Padding(long size) => (int)((TarHeader.BlockSize - (size % TarHeader.BlockSize)) % TarHeader.BlockSize);

    private void ThrowIfUnusable()
    {
        if (_disposed)
        {
            throw new ObjectDisposedException(nameof(TarReader));
        }

        if (_broken)
        {
            throw new InvalidOperationException("the archive was refused or a read failed earlier; the reader cannot go on");
        }
    }
}
