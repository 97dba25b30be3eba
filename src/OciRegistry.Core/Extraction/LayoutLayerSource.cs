using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.Layout;
using OciRegistry.Core.LocalFiles;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;
using OciRegistry.Core.Transfer;

namespace OciRegistry.Core.Extraction;

/// <summary>
/// Layers read from an OCI layout's blob files (never through a link), optionally only as a cache in front of
/// another source: a cached blob is used when its file hashes to its digest, and otherwise the other source is asked.
/// </summary>
public sealed class LayoutLayerSource : LayerSource
{
    private readonly OciLayoutContent _layout;
    private readonly LayerSource? _fallback;
    private readonly Dictionary<Digest, string> _files = [];

    /// <summary>Creates the source; with <paramref name="fallback"/> the layout is a cache in front of it.</summary>
    public LayoutLayerSource(OciLayoutContent layout, LayerSource? fallback = null)
    {
        _layout = layout;
        _fallback = fallback;
        foreach (var blob in layout.Blobs)
        {
            _files[blob.Descriptor.Digest] = blob.Path;
        }
    }

    /// <summary>How many layers were read from the layout rather than from the other source.</summary>
    public int Reused { get; private set; }

    /// <inheritdoc/>
    public override async Task<Stream> OpenAsync(Descriptor layer, CancellationToken cancellationToken = default)
    {
        var path = _files.TryGetValue(layer.Digest, out var known) ? known : CachedFile(layer.Digest);
        if (_fallback is null)
        {
            if (path is null)
            {
                throw new OciLayoutException(_layout.Root, $"the layout holds no blob {layer.Digest}");
            }

            return RegularFile.OpenRead(path);
        }

        if (path is not null && await BlobDownloader.FileMatchesAsync(path, layer.Digest, layer.Size, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            Reused++;
            return RegularFile.OpenRead(path);
        }

        return await _fallback.OpenAsync(layer, cancellationToken).ConfigureAwait(false);
    }

    // A cache may hold blobs no manifest of it names (Save-OciBlob into it); their file is found by digest alone.
    private string? CachedFile(Digest digest)
    {
        var path = Path.Combine(Path.Combine(Path.Combine(_layout.Root, "blobs"), digest.Algorithm), digest.Encoded);
        return RegularFile.GetStatus(path).Kind == FileKind.Regular ? path : null;
    }
}
