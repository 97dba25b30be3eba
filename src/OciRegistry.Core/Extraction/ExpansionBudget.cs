using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace OciRegistry.Core.Extraction;

/// <summary>
/// What is left of <see cref="ExtractionOptions.MaximumSize"/> and <see cref="ExtractionOptions.MaximumEntries"/>
/// across the layers of one command, so that a small layer expanding without end, or a million empty entries, stops
/// with <see cref="LayerLimitException"/> instead of filling the disk or the memory.
/// </summary>
internal sealed class ExpansionBudget
{
    private readonly ExtractionOptions _options;
    private long _bytes;
    private int _entries;

    public ExpansionBudget(ExtractionOptions options) => _options = options;

    public void CountEntry(LayerName layer)
    {
        if (++_entries > _options.MaximumEntries)
        {
            throw new LayerLimitException(layer, $"the image holds more than {_options.MaximumEntries} entries", _options.MaximumEntries, raisable: false);
        }
    }

    /// <summary>Refuses an entry claiming more bytes than are left, before any of them is read.</summary>
    public void CheckEntrySize(LayerName layer, string name, long size)
    {
        if (size > _options.MaximumSize - _bytes)
        {
            throw new LayerLimitException(layer, $"the entry '{EntryPath.Printable(name)}' claims {size} bytes, more than the size left for the image", _options.MaximumSize, raisable: true);
        }
    }

    public void CountBytes(LayerName layer, int n)
    {
        _bytes += n;
        if (_bytes > _options.MaximumSize)
        {
            throw new LayerLimitException(layer, "the layers expand to more bytes than allowed", _options.MaximumSize, raisable: true);
        }
    }

    /// <summary>The decompressed bytes of one layer, counted against the budget as they are read.</summary>
    public Stream Wrap(Stream decompressed, LayerName layer) => new Counted(decompressed, this, layer);

    private sealed class Counted(Stream inner, ExpansionBudget budget, LayerName layer) : ReadOnlyStream
    {
        public override int Read(byte[] buffer, int offset, int count)
        {
            int n;
            try
            {
                n = inner.Read(buffer, offset, count);
            }
            catch (Exception e) when (IsCorruptData(e))
            {
                throw new LayerFormatException(layer, e);
            }

            budget.CountBytes(layer, n);
            return n;
        }

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            int n;
            try
            {
                n = await inner.ReadAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsCorruptData(e))
            {
                throw new LayerFormatException(layer, e);
            }

            budget.CountBytes(layer, n);
            return n;
        }

        // GZipStream says InvalidDataException; ZstdSharp its own ZstdException, named here to keep its type out of the API.
        private static bool IsCorruptData(Exception e) => e is InvalidDataException || e.GetType().Name == "ZstdException";

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
