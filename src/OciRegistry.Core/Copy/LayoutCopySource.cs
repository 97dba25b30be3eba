using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.Layout;
using OciRegistry.Core.LocalFiles;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Copy;

/// <summary>
/// An OCI layout as a copy's source, for restoring an air-gapped folder to a registry: its manifests were verified
/// when the layout was read; its blobs are read from their files (never through a link) and verified by the
/// destination registry. Referrers are the layout's manifests that name a subject.
/// </summary>
public sealed class LayoutCopySource : CopySource
{
    private readonly OciLayoutContent _layout;
    private readonly Dictionary<Digest, string> _blobs = [];

    /// <summary>Creates the source from a layout <see cref="OciLayoutReader.Read"/> has read.</summary>
    public LayoutCopySource(OciLayoutContent layout)
    {
        _layout = layout ?? throw new ArgumentNullException(nameof(layout));
        foreach (var blob in layout.Blobs)
        {
            _blobs[blob.Descriptor.Digest] = blob.Path;
        }
    }

    /// <summary>The layout's tags, in its order.</summary>
    public IReadOnlyList<string> Tags => _layout.Tags.Select(tag => tag.Key).ToList();

    /// <inheritdoc/>
    public override string? Registry => null;

    /// <inheritdoc/>
    public override string? Repository => null;

    /// <inheritdoc/>
    public override Task<ManifestDocument> GetManifestAsync(string? tag, Digest? digest, CancellationToken cancellationToken)
    {
        if (digest is null)
        {
            var name = tag ?? "latest";
            digest = _layout.Tags.LastOrDefault(pair => pair.Key == name).Value
                ?? throw new OciLayoutException(_layout.Root, $"the layout has no tag '{name}'");
        }

        var found = _layout.Manifests.FirstOrDefault(document => document.Digest == digest)
            ?? throw new OciLayoutException(_layout.Root, $"the layout holds no manifest {digest}");
        return Task.FromResult(found);
    }

    /// <inheritdoc/>
    public override Task<Stream> OpenBlobAsync(Descriptor blob, long offset, CancellationToken cancellationToken)
    {
        if (!_blobs.TryGetValue(blob.Digest, out var path))
        {
            throw new OciLayoutException(_layout.Root, $"the layout holds no blob {blob.Digest}");
        }

        Stream file = RegularFile.OpenRead(path);
        file.Seek(offset, SeekOrigin.Begin);
        return Task.FromResult(file);
    }

    /// <inheritdoc/>
    public override Task<IReadOnlyList<Descriptor>> ListReferrersAsync(Digest subject, string? artifactType, CancellationToken cancellationToken)
    {
        IReadOnlyList<Descriptor> referrers = _layout.Manifests
            .Where(document => document.Subject?.Digest == subject)
            .Select(document => new Descriptor
            {
                MediaType = document.MediaType,
                Digest = document.Digest,
                Size = document.Size,
                ArtifactType = document is ImageManifest manifest ? manifest.EffectiveArtifactType : document.ArtifactType,
                Annotations = document.Annotations,
            })
            .Where(descriptor => artifactType is null || descriptor.ArtifactType == artifactType)
            .ToList();
        return Task.FromResult(referrers);
    }

    /// <inheritdoc/>
    public override Task<bool> HasTagAsync(string tag, CancellationToken cancellationToken) =>
        Task.FromResult(_layout.Tags.Any(pair => pair.Key == tag));
}
