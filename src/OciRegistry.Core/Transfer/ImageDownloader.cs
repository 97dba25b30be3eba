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
    public Task<ImageSaveResult> SaveAsync(
        Reference reference,
        string layoutPath,
        Platform? platform = null,
        int parallelism = 4,
        IProgress<TransferProgress>? progress = null,
        CancellationToken cancellationToken = default) =>
        SaveAsync(reference, layoutPath, platform, parallelism, includeReferrers: false, progress, cancellationToken);

    /// <summary>
    /// As the overload without <paramref name="includeReferrers"/>; with it, what refers to each saved manifest
    /// (signatures, SBOMs, attestations, found through the referrers API or its tag schema, a few levels deep) is
    /// saved too and listed in <c>index.json</c> without a name, so an air-gapped copy keeps them.
    /// </summary>
    public async Task<ImageSaveResult> SaveAsync(
        Reference reference,
        string layoutPath,
        Platform? platform,
        int parallelism,
        bool includeReferrers,
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
        var referrers = new List<Descriptor>();
        if (includeReferrers)
        {
            await CollectReferrersAsync(reference, manifests.ToList(), manifests, referrers, 1, cancellationToken).ConfigureAwait(false);
        }
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
        foreach (var referrer in referrers)
        {
            layout.SetReference(new Descriptor { MediaType = referrer.MediaType, Digest = referrer.Digest, Size = referrer.Size, ArtifactType = referrer.ArtifactType }, null);
        }

        return new ImageSaveResult
        {
            Document = top,
            LayoutPath = layout.Root,
            RefName = reference.Tag,
            Manifests = manifests.Count,
            Blobs = blobs.Count,
            BlobsReused = results.Count(r => r.AlreadyPresent),
            Referrers = referrers.Count,
            BytesDownloaded = results.Sum(r => r.BytesDownloaded),
            Elapsed = clock.Elapsed,
        };
    }

    private const int MaximumReferrerDepth = 4;

    // The referrers of each subject, their own content, and (a few levels down) what refers to them.
    private async Task CollectReferrersAsync(Reference reference, List<ManifestDocument> subjects, List<ManifestDocument> into, List<Descriptor> referrers, int depth, CancellationToken cancellationToken)
    {
        var found = new List<ManifestDocument>();
        foreach (var subject in subjects)
        {
            var listed = new List<Descriptor>();
            await foreach (var referrer in _client.ListReferrersAsync(reference.AtDigest(subject.Digest), cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                listed.Add(referrer);
            }

            foreach (var referrer in listed.Where(r => referrers.All(known => known.Digest != r.Digest)))
            {
                referrers.Add(referrer);
                var document = await _client.GetManifestAsync(reference.AtDigest(referrer.Digest), cancellationToken).ConfigureAwait(false);
                if (into.All(m => m.Digest != document.Digest))
                {
                    await CollectAsync(document, reference, into, 0, cancellationToken).ConfigureAwait(false);
                    found.Add(document);
                }
            }
        }

        if (found.Count > 0 && depth < MaximumReferrerDepth)
        {
            await CollectReferrersAsync(reference, found, into, referrers, depth + 1, cancellationToken).ConfigureAwait(false);
        }
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
