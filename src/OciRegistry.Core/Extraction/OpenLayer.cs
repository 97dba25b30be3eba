using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.Archive;
using OciRegistry.Core.Models;

namespace OciRegistry.Core.Extraction;

/// <summary>
/// One layer being read: its bytes verified as they arrive (<see cref="VerifiedLayerStream"/>), decompressed by
/// what their first bytes say, counted against the command's budget and read as tar, entry by entry, each with its
/// path checked (<see cref="EntryPath"/>) and its whiteout meaning decoded.
/// </summary>
internal sealed class OpenLayer : IDisposable
{
    private const string WhiteoutPrefix = ".wh.";
    private const string OpaqueMarker = ".wh..wh..opq";

    private readonly VerifiedLayerStream _verified;
    private readonly DecompressedLayer _decompressed;
    private readonly TarReader _tar;
    private readonly ExpansionBudget _budget;
    private readonly ExtractionOptions _options;

    private OpenLayer(LayerName name, VerifiedLayerStream verified, DecompressedLayer decompressed, ExpansionBudget budget, ExtractionOptions options)
    {
        Name = name;
        _verified = verified;
        _decompressed = decompressed;
        _budget = budget;
        _options = options;
        _tar = new TarReader(budget.Wrap(decompressed.Stream, name));
    }

    public LayerName Name { get; }

    /// <summary>The compressed bytes read so far.</summary>
    public long BytesRead => _verified.BytesRead;

    public static async Task<OpenLayer> OpenAsync(ImageLayers image, int index, ExpansionBudget budget, ExtractionOptions options, CancellationToken cancellationToken)
    {
        var descriptor = image.Layers[index];
        var name = new LayerName(index, descriptor.Digest);
        switch (LayerMediaType.Classify(descriptor.MediaType))
        {
            case LayerMediaKind.Encrypted:
                throw new UnsupportedLayerException(name, descriptor.MediaType, encrypted: true);
            case LayerMediaKind.Unknown:
                throw new UnsupportedLayerException(name, descriptor.MediaType, encrypted: false);
        }

        var raw = await image.Source.OpenAsync(descriptor, cancellationToken).ConfigureAwait(false);
        var verified = new VerifiedLayerStream(raw, descriptor.Digest, descriptor.Size, name);
        try
        {
            var decompressed = await LayerDecompressor.OpenAsync(verified, cancellationToken).ConfigureAwait(false);
            return new OpenLayer(name, verified, decompressed, budget, options);
        }
        catch
        {
            verified.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The next entry, or null at the end of the archive. An entry whose path may not be written fails with
    /// <see cref="UnsafeEntryException"/>, or with <see cref="ExtractionOptions.SkipUnsafeEntries"/> is warned of
    /// and passed over; aufs's own <c>.wh..wh.*</c> metadata is passed over silently.
    /// </summary>
    public async Task<LayerEntry?> NextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            TarEntry? tar;
            try
            {
                tar = await _tar.ReadNextAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (TarFormatException e)
            {
                throw new LayerFormatException(Name, e);
            }

            if (tar is null)
            {
                return null;
            }

            _budget.CountEntry(Name);
            _budget.CheckEntrySize(Name, tar.Name, tar.Size);
            var entry = Classify(tar);
            if (entry is not null)
            {
                return entry;
            }
        }
    }

    /// <summary>The current entry's content.</summary>
    public Stream OpenData() => _tar.OpenData();

    /// <summary>Reads the rest of the layer's bytes, so it is verified whole; throws if they do not match.</summary>
    public Task FinishAsync(CancellationToken cancellationToken) => _verified.DrainAsync(cancellationToken);

    /// <summary>Refuses (or, when skipping, warns of) an entry; false when it is to be passed over.</summary>
    public void Refuse(string entryName, string reason)
    {
        var refusal = new UnsafeEntryException(Name, entryName, reason);
        if (!_options.SkipUnsafeEntries)
        {
            throw refusal;
        }

        _options.Warn("Skipped: " + refusal.Message);
    }

    public void Dispose()
    {
        _tar.Dispose();
        _decompressed.Dispose();
        _verified.Dispose();
    }

    private LayerEntry? Classify(TarEntry tar)
    {
        if (!EntryPath.TryNormalize(tar.Name, _options.WindowsNames, out var path, out var reason))
        {
            Refuse(tar.Name, reason);
            return null;
        }

        if (path.Length == 0)
        {
            return null;
        }

        var leaf = EntryPath.Leaf(path);
        if (leaf.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
        {
            if (leaf == OpaqueMarker)
            {
                return new LayerEntry(tar, EntryPath.Parent(path), LayerEntryKind.OpaqueWhiteout, string.Empty);
            }

            if (leaf.StartsWith(WhiteoutPrefix + WhiteoutPrefix, StringComparison.Ordinal))
            {
                return null;
            }

            var parent = EntryPath.Parent(path);
            var hidden = leaf.Substring(WhiteoutPrefix.Length);
            return new LayerEntry(tar, parent.Length == 0 ? hidden : parent + "/" + hidden, LayerEntryKind.Whiteout, string.Empty);
        }

        switch (tar.Type)
        {
            case TarEntryType.HardLink:
                if (!EntryPath.TryNormalize(tar.LinkName, _options.WindowsNames, out var target, out reason) || target.Length == 0)
                {
                    Refuse(tar.Name, $"is a hard link to '{EntryPath.Printable(tar.LinkName)}', which {(reason.Length == 0 ? "is the root" : reason)}");
                    return null;
                }

                return new LayerEntry(tar, path, LayerEntryKind.HardLink, target);
            case TarEntryType.SymbolicLink:
                if (tar.LinkName.IndexOf('\0') >= 0 || tar.LinkName.Length == 0)
                {
                    Refuse(tar.Name, "is a symbolic link with an empty target or a NUL in it");
                    return null;
                }

                return new LayerEntry(tar, path, LayerEntryKind.SymbolicLink, tar.LinkName);
            default:
                return new LayerEntry(tar, path, Kind(tar.Type), string.Empty);
        }
    }

    private static LayerEntryKind Kind(TarEntryType type) => type switch
    {
        TarEntryType.Directory => LayerEntryKind.Directory,
        TarEntryType.CharacterDevice => LayerEntryKind.CharacterDevice,
        TarEntryType.BlockDevice => LayerEntryKind.BlockDevice,
        TarEntryType.Fifo => LayerEntryKind.Fifo,
        _ => LayerEntryKind.File,
    };
}
