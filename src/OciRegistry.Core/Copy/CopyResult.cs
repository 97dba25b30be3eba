using System;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Copy;

/// <summary>What one copy of <see cref="ImageCopier"/> did.</summary>
public sealed class CopyResult
{
    internal CopyResult(string source, Reference destination)
    {
        Source = source;
        Destination = destination;
    }

    /// <summary>The source as given (a reference, or a layout's folder and tag).</summary>
    public string Source { get; }

    /// <summary>The destination as given.</summary>
    public Reference Destination { get; }

    /// <summary>The digest of what the destination tag now names (the same as the source's).</summary>
    public Digest? Digest { get; internal set; }

    /// <summary>Manifests and indexes written.</summary>
    public int Manifests { get; internal set; }

    /// <summary>Blobs uploaded.</summary>
    public int BlobsCopied { get; internal set; }

    /// <summary>Blobs mounted from another repository of the same registry.</summary>
    public int BlobsMounted { get; internal set; }

    /// <summary>Blobs the destination already had.</summary>
    public int BlobsSkipped { get; internal set; }

    /// <summary>Bytes uploaded.</summary>
    public long BytesUploaded { get; internal set; }

    /// <summary>Referrers copied (signatures, SBOMs, attestations).</summary>
    public int Referrers { get; internal set; }

    /// <summary>How long the copy took.</summary>
    public TimeSpan Elapsed { get; internal set; }
}
