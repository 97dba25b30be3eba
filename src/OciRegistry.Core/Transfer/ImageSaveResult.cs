using System;
using OciRegistry.Core.Models;

namespace OciRegistry.Core.Transfer;

/// <summary>What saving an image into a layout did.</summary>
public sealed record ImageSaveResult
{
    /// <summary>The saved manifest or index (the entry <c>index.json</c> names).</summary>
    public required ManifestDocument Document { get; init; }

    /// <summary>The layout folder.</summary>
    public required string LayoutPath { get; init; }

    /// <summary>The name in <c>index.json</c>, if any.</summary>
    public string? RefName { get; init; }

    /// <summary>Manifests and indexes written.</summary>
    public int Manifests { get; init; }

    /// <summary>Config and layer blobs in the image.</summary>
    public int Blobs { get; init; }

    /// <summary>Blobs already in the layout and verified, so not downloaded.</summary>
    public int BlobsReused { get; init; }

    /// <summary>Referrers saved with the image (signatures, SBOMs, attestations).</summary>
    public int Referrers { get; init; }

    /// <summary>Bytes received over the network for blobs.</summary>
    public long BytesDownloaded { get; init; }

    /// <summary>Wall-clock time.</summary>
    public TimeSpan Elapsed { get; init; }
}
