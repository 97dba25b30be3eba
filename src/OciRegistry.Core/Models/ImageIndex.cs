using System.Collections.Generic;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Models;

/// <summary>An OCI image index or Docker manifest list: manifests for several platforms or artifacts.</summary>
public sealed class ImageIndex : ManifestDocument
{
    internal ImageIndex(byte[] raw, Digest digest, string mediaType, IReadOnlyList<Descriptor> manifests)
        : base(raw, digest, mediaType)
    {
        Manifests = manifests;
    }

    /// <summary>The manifests the index lists.</summary>
    public IReadOnlyList<Descriptor> Manifests { get; }
}
