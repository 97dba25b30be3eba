using System;
using OciRegistry.Core.Copy;

namespace OciRegistry.Output;

/// <summary>What Copy-OciImage copied, one per image.</summary>
public sealed class OciCopiedImage
{
    internal OciCopiedImage(CopyResult result)
    {
        Source = result.Source;
        Destination = result.Destination.ToString();
        Digest = result.Digest?.ToString();
        Reference = result.Digest is null ? Destination : result.Destination.WithoutDigest().WithDigest(result.Digest).ToString();
        Manifests = result.Manifests;
        BlobsCopied = result.BlobsCopied;
        BlobsMounted = result.BlobsMounted;
        BlobsSkipped = result.BlobsSkipped;
        BytesUploaded = result.BytesUploaded;
        Referrers = result.Referrers;
        Elapsed = result.Elapsed;
    }

    /// <summary>The source as given.</summary>
    public string Source { get; }

    /// <summary>The destination as given.</summary>
    public string Destination { get; }

    /// <summary>The destination pinned by digest, so the result pipes into Get-OciManifest.</summary>
    public string Reference { get; }

    /// <summary>The digest the destination now names: the source's.</summary>
    public string? Digest { get; }

    /// <summary>Manifests and indexes written (0 when the destination had them all).</summary>
    public int Manifests { get; }

    /// <summary>Blobs uploaded.</summary>
    public int BlobsCopied { get; }

    /// <summary>Blobs mounted from another repository of the same registry.</summary>
    public int BlobsMounted { get; }

    /// <summary>Blobs the destination already had.</summary>
    public int BlobsSkipped { get; }

    /// <summary>Bytes uploaded.</summary>
    public long BytesUploaded { get; }

    /// <summary>Referrers copied.</summary>
    public int Referrers { get; }

    /// <summary>How long the copy took.</summary>
    public TimeSpan Elapsed { get; }

    /// <inheritdoc/>
    public override string ToString() => Reference;
}
