using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace OciRegistry.Core.Extraction;

/// <summary>
/// Gets files as the image's final filesystem has them, reading layers from the top down (<see cref="UpperLayers"/>):
/// a file comes from the topmost layer that has it, whiteouts and opaque folders hide what lies below them, and for
/// one path reading stops at the first layer that answers, so a file of the top layer costs that layer alone.
/// </summary>
/// <remarks>
/// A literal path follows symbolic links, its own and its folders', inside the image root (an absolute target
/// starts at the root, <c>..</c> stops there), at most <see cref="MaximumLinkHops"/> times; hard links are read from
/// the file they name in their own layer. Each layer is read whole and verified before what was taken from it is
/// committed to the sink.
/// </remarks>
public sealed class ImageFileFinder
{
    /// <summary>How many symbolic links one path may pass through (Linux's own bound, MAXSYMLINKS, is 40).</summary>
    public const int MaximumLinkHops = 40;

    private readonly ImageLayers _image;
    private readonly ExtractionOptions _options;
    private readonly FileSink _sink;
    private readonly ExpansionBudget _budget;

    /// <summary>Creates the finder.</summary>
    public ImageFileFinder(ImageLayers image, ExtractionOptions options, FileSink sink)
    {
        _image = image ?? throw new ArgumentNullException(nameof(image));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _sink = sink ?? throw new ArgumentNullException(nameof(sink));
        _budget = new ExpansionBudget(options);
    }

    /// <summary>How many layers were opened so far (a layer read twice counts twice).</summary>
    public int LayersRead { get; private set; }

    /// <summary>The compressed bytes read so far.</summary>
    public long BytesRead { get; private set; }

    /// <summary>Finds what <paramref name="query"/> asks; fails with <see cref="ImageFileNotFoundException"/> when nothing.</summary>
    public async Task<IReadOnlyList<PendingFile>> FindAsync(ImageFileQuery query, CancellationToken cancellationToken = default)
    {
        if (query is null)
        {
            throw new ArgumentNullException(nameof(query));
        }

        var files = query.Match is null
            ? await FindLiteralAsync(query, cancellationToken).ConfigureAwait(false)
            : await ScanAsync(new Scan(query.Match, query.Recurse), cancellationToken).ConfigureAwait(false);
        if (files.Count == 0)
        {
            throw new ImageFileNotFoundException(query.Text, _image.Name, query.Match is null ? "is not a file in the image" : "matches no file in the image");
        }

        return files;
    }

    private async Task<List<PendingFile>> FindLiteralAsync(ImageFileQuery query, CancellationToken cancellationToken)
    {
        var text = query.Text.TrimStart('/');
        if (!EntryPath.TryNormalize(text, windowsNames: false, out var target, out var reason) || target.Length == 0)
        {
            throw new ImageFileNotFoundException(query.Text, _image.Name, target.Length == 0 && reason.Length == 0 ? "is the root, not a file" : reason);
        }

        var outputName = EntryPath.Leaf(target);
        for (var hop = 0; hop <= MaximumLinkHops; hop++)
        {
            var scan = new Scan(target, outputName, query.Recurse);
            var files = await ScanAsync(scan, cancellationToken).ConfigureAwait(false);
            if (scan.Redirect is null)
            {
                if (scan.Refusal is { } refusal)
                {
                    throw new ImageFileNotFoundException(query.Text, _image.Name, refusal);
                }

                return files;
            }

            target = scan.Redirect;
        }

        throw new ImageFileNotFoundException(query.Text, _image.Name, $"passes through more than {MaximumLinkHops} symbolic links");
    }

    private async Task<List<PendingFile>> ScanAsync(Scan scan, CancellationToken cancellationToken)
    {
        var upper = new UpperLayers();
        var files = new List<PendingFile>();
        for (var index = _image.Layers.Count - 1; index >= 0 && !scan.Done; index--)
        {
            if (LayerSkip.Skipped(_image, index, _options))
            {
                continue;
            }

            // An entry repeated in one layer is, as tar extracts it, its last occurrence: an earlier one is dropped.
            var byPath = new Dictionary<string, PendingFile>(StringComparer.Ordinal);
            var hardLinks = new Dictionary<string, (string Target, LayerItem Item, string Output)>(StringComparer.Ordinal);
            var taken = new List<PendingFile>();
            var committed = new List<PendingFile>();
            try
            {
                using (var layer = await OpenAsync(index, cancellationToken).ConfigureAwait(false))
                {
                    while (await layer.NextAsync(cancellationToken).ConfigureAwait(false) is { } entry)
                    {
                        if (upper.Hides(entry.Path))
                        {
                            continue;
                        }

                        upper.Add(entry);
                        if (byPath.TryGetValue(entry.Path, out var earlier))
                        {
                            earlier.Discard();
                            byPath.Remove(entry.Path);
                        }

                        hardLinks.Remove(entry.Path);
                        if (scan.OutputFor(entry, layer, upper) is not { } output)
                        {
                            continue;
                        }

                        var item = entry.ToItem(layer.Name);
                        switch (entry.Kind)
                        {
                            case LayerEntryKind.File:
                                byPath[entry.Path] = await _sink.AcceptAsync(item, output, layer.OpenData(), cancellationToken).ConfigureAwait(false);
                                break;
                            case LayerEntryKind.HardLink:
                                hardLinks[entry.Path] = (entry.LinkTarget, item, output);
                                break;
                            case LayerEntryKind.SymbolicLink:
                                _options.Warn($"Not copied: '/{entry.Path}' is a symbolic link to '{EntryPath.Printable(entry.LinkTarget)}'.");
                                break;
                        }
                    }

                    await layer.FinishAsync(cancellationToken).ConfigureAwait(false);
                    BytesRead += layer.BytesRead;
                }

                taken.AddRange(byPath.Values);
                if (hardLinks.Count > 0)
                {
                    taken.AddRange(await ReadHardLinksAsync(index, hardLinks.Values.ToList(), cancellationToken).ConfigureAwait(false));
                }

                if (scan.Refusal is null)
                {
                    foreach (var file in taken)
                    {
                        file.Commit();
                        committed.Add(file);
                    }
                }
            }
            catch
            {
                foreach (var file in byPath.Values.Concat(taken).Distinct().Except(committed))
                {
                    file.Discard();
                }

                throw;
            }

            if (scan.Refusal is not null)
            {
                taken.ForEach(file => file.Discard());
                return [];
            }

            files.AddRange(committed);
            upper.EndLayer();
            scan.EndLayer(taken.Count > 0);
        }

        return files;
    }

    // A hard link's content is the file it names as its own layer has it: that layer is read again for those files.
    private async Task<List<PendingFile>> ReadHardLinksAsync(int index, List<(string Target, LayerItem Item, string Output)> links, CancellationToken cancellationToken)
    {
        var wanted = links.ToLookup(link => link.Target, StringComparer.Ordinal);
        var taken = new List<PendingFile>();
        try
        {
            using var layer = await OpenAsync(index, cancellationToken).ConfigureAwait(false);
            while (await layer.NextAsync(cancellationToken).ConfigureAwait(false) is { } entry)
            {
                if (entry.Kind != LayerEntryKind.File || !wanted.Contains(entry.Path))
                {
                    continue;
                }

                PendingFile? first = null;
                foreach (var link in wanted[entry.Path])
                {
                    var item = entry.ToItem(layer.Name);
                    first = first is null
                        ? await _sink.AcceptAsync(item, link.Output, layer.OpenData(), cancellationToken).ConfigureAwait(false)
                        : await _sink.DuplicateAsync(first, item, link.Output, cancellationToken).ConfigureAwait(false);
                    taken.Add(first);
                }
            }

            await layer.FinishAsync(cancellationToken).ConfigureAwait(false);
            BytesRead += layer.BytesRead;
            return taken;
        }
        catch
        {
            taken.ForEach(file => file.Discard());
            throw;
        }
    }

    private async Task<OpenLayer> OpenAsync(int index, CancellationToken cancellationToken)
    {
        LayersRead++;
        return await OpenLayer.OpenAsync(_image, index, _budget, _options, cancellationToken).ConfigureAwait(false);
    }

    // One pass over the layers: for a literal path, what it meets on the way (a link to follow, a whiteout or a
    // file where a folder should be) decides when to stop; for a pattern, every layer is read.
    private sealed class Scan
    {
        private readonly string? _target;
        private readonly string _outputName = string.Empty;
        private readonly Func<string, bool>? _match;
        private readonly bool _recurse;
        private bool _stopAfterLayer;

        public Scan(string target, string outputName, bool recurse)
        {
            _target = target;
            _outputName = outputName;
            _recurse = recurse;
        }

        public Scan(Func<string, bool> match, bool recurse)
        {
            _match = match;
            _recurse = recurse;
        }

        public bool Done { get; private set; }

        public string? Redirect { get; private set; }

        public string? Refusal { get; private set; }

        public void EndLayer(bool tookFiles)
        {
            if (Redirect is not null || _stopAfterLayer || (tookFiles && _target is not null && !_recurse))
            {
                Done = true;
            }
        }

        // The output path an entry is to be written to, or null when it is not wanted.
        public string? OutputFor(LayerEntry entry, OpenLayer layer, UpperLayers upper)
        {
            if (_target is null)
            {
                return PatternOutput(entry, layer, upper);
            }

            if (entry.Path == _target)
            {
                switch (entry.Kind)
                {
                    case LayerEntryKind.File or LayerEntryKind.HardLink:
                        return _outputName;
                    case LayerEntryKind.SymbolicLink:
                        Redirect = EntryPath.ResolveLink(entry.Path, entry.LinkTarget);
                        return null;
                    case LayerEntryKind.Directory:
                        if (!_recurse)
                        {
                            Refusal = "is a folder in the image; ask for its files recursively";
                            _stopAfterLayer = true;
                        }

                        return null;
                    case LayerEntryKind.Whiteout:
                        _stopAfterLayer = true;
                        return null;
                    case LayerEntryKind.OpaqueWhiteout:
                        return null;
                    default:
                        Refusal = "is a device node or FIFO, not a file";
                        _stopAfterLayer = true;
                        return null;
                }
            }

            if (EntryPath.IsUnder(_target, entry.Path))
            {
                switch (entry.Kind)
                {
                    case LayerEntryKind.SymbolicLink:
                        Redirect = EntryPath.ResolveLink(entry.Path, entry.LinkTarget) + _target.Substring(entry.Path.Length);
                        Redirect = Redirect.TrimStart('/');
                        break;
                    case LayerEntryKind.Directory:
                        break;
                    case LayerEntryKind.OpaqueWhiteout:
                        _stopAfterLayer = true;
                        break;
                    default:
                        _stopAfterLayer = true;
                        break;
                }

                return null;
            }

            if (_recurse && EntryPath.IsUnder(entry.Path, _target) && entry.Kind is LayerEntryKind.File or LayerEntryKind.HardLink or LayerEntryKind.SymbolicLink)
            {
                if (upper.LinkAbove(entry.Path) is { } link && (link == _target || EntryPath.IsUnder(link, _target)))
                {
                    layer.Refuse(entry.Tar.Name, $"lies below '/{EntryPath.Printable(link)}', a symbolic link, and would be written through it");
                    return null;
                }

                return _target.Length == 0 ? _outputName + "/" + entry.Path : _outputName + entry.Path.Substring(_target.Length);
            }

            return null;
        }

        private string? PatternOutput(LayerEntry entry, OpenLayer layer, UpperLayers upper)
        {
            if (entry.Kind is not (LayerEntryKind.File or LayerEntryKind.HardLink or LayerEntryKind.SymbolicLink))
            {
                return null;
            }

            string? output = null;
            if (_recurse)
            {
                foreach (var ancestor in EntryPath.Ancestors(entry.Path))
                {
                    if (_match!(ancestor))
                    {
                        output = EntryPath.Leaf(ancestor) + entry.Path.Substring(ancestor.Length);
                        break;
                    }
                }
            }

            if (output is null && _match!(entry.Path))
            {
                output = EntryPath.Leaf(entry.Path);
            }

            if (output is not null && upper.LinkAbove(entry.Path) is { } link)
            {
                layer.Refuse(entry.Tar.Name, $"lies below '/{EntryPath.Printable(link)}', a symbolic link, and would be written through it");
                return null;
            }

            return output;
        }
    }
}
