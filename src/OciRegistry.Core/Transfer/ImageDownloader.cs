using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.Client;
using OciRegistry.Core.Layout;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Transfer;

/// <summary>
/// Saves an image (or an index with every platform, or one platform of it) into an OCI image layout: manifests
/// verified by digest, blobs downloaded in parallel through <see cref="BlobDownloader"/> (verified, resumable),
/// blobs already in the layout re-hashed and reused, and the layout's <c>index.json</c> updated last, so an
/// interrupted save never leaves an entry pointing at missing content.
/// </summary>
public sealed class ImageDownloader
{
    private readonly RegistryClient _client;

    /// <summary>Creates a downloader over <paramref name="client"/>.</summary>
    public ImageDownloader(RegistryClient client)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
    }

    /// <summary>Saves <paramref name="reference"/> into the layout at <paramref name="layoutPath"/>.</summary>
    /// <param name="reference">The image; its tag becomes the <c>org.opencontainers.image.ref.name</c>.</param>
    /// <param name="layoutPath">The layout folder, created if needed; other images in it are kept.</param>
    /// <param name="platform">Save only this platform's manifest of an index; null saves the whole index.</param>
    /// <param name="parallelism">How many blobs download at once.</param>
    /// <param name="progress">Per-blob progress.</param>
    /// <param name="cancellationToken">Stops the save; finished blobs stay, partial ones resume next time.</param>
    public async Task<ImageSaveResult> SaveAsync(
        Reference reference,
        string layoutPath,
        Platform? platform = null,
        int parallelism = 4,
        IProgress<TransferProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        if (reference is null)
        {
            throw new ArgumentNullException(nameof(reference));
        }

        var clock = Stopwatch.StartNew();
        var layout = new OciLayoutWriter(layoutPath);
        var top = await _client.GetManifestAsync(reference, cancellationToken).ConfigureAwait(false);
        Platform? topPlatform = null;
        if (platform is not null)
        {
            var chosen = await _client.GetManifestForPlatformAsync(top, platform, cancellationToken).ConfigureAwait(false);
            topPlatform = top is ImageIndex index ? index.Manifests.First(m => m.Digest == chosen.Digest).Platform : null;
            top = chosen;
        }

        var manifests = new List<ManifestDocument>();
        await CollectAsync(top, reference, manifests, 0, cancellationToken).ConfigureAwait(false);
        var blobs = manifests.OfType<ImageManifest>()
            .SelectMany(m => new[] { m.Config }.Concat(m.Layers))
            .GroupBy(d => d.Digest)
            .Select(g => g.First())
            .ToList();

        var downloader = new BlobDownloader(_client);
        using var throttle = new SemaphoreSlim(Math.Max(1, parallelism));
        var results = await Task.WhenAll(blobs.Select(async blob =>
        {
            await throttle.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await downloader.DownloadAsync(reference, blob.Digest, blob.Size, layout.BlobPath(blob.Digest), overwrite: true, progress, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                throttle.Release();
            }
        })).ConfigureAwait(false);

        // Children first, the top-level entry last: index.json only ever names complete content.
        foreach (var manifest in manifests.AsEnumerable().Reverse())
        {
            layout.WriteManifest(manifest);
        }

        layout.SetReference(new Descriptor { MediaType = top.MediaType, Digest = top.Digest, Size = top.Size, Platform = topPlatform }, reference.Tag);
        return new ImageSaveResult
        {
            Document = top,
            LayoutPath = layout.Root,
            RefName = reference.Tag,
            Manifests = manifests.Count,
            Blobs = blobs.Count,
            BlobsReused = results.Count(r => r.AlreadyPresent),
            BytesDownloaded = results.Sum(r => r.BytesDownloaded),
            Elapsed = clock.Elapsed,
        };
    }

    private async Task CollectAsync(ManifestDocument document, Reference reference, List<ManifestDocument> into, int depth, CancellationToken cancellationToken)
    {
        into.Add(document);
        if (document is not ImageIndex index)
        {
            return;
        }

        if (depth >= Limits.MaxIndexDepth)
        {
            throw new ManifestFormatException($"indexes nest more than {Limits.MaxIndexDepth} levels deep");
        }

        foreach (var entry in index.Manifests)
        {
            if (into.Any(m => m.Digest == entry.Digest))
            {
                continue;
            }

            var child = await _client.GetManifestAsync(reference.AtDigest(entry.Digest), cancellationToken).ConfigureAwait(false);
            await CollectAsync(child, reference, into, depth + 1, cancellationToken).ConfigureAwait(false);
        }
    }
}
