using System;
using OciRegistry.Core.References;
using OciRegistry.Core.Transfer;

namespace OciRegistry.Output;

/// <summary>An image saved into an OCI image layout folder.</summary>
public sealed class OciSavedImage
{
    internal OciSavedImage(ImageSaveResult result, Reference reference)
    {
        Reference = reference.AtDigest(result.Document.Digest).ToString();
        Digest = result.Document.Digest.ToString();
        MediaType = result.Document.MediaType;
        Path = result.LayoutPath;
        Tag = result.RefName;
        Manifests = result.Manifests;
        Blobs = result.Blobs;
        BlobsReused = result.BlobsReused;
        Referrers = result.Referrers;
        BytesDownloaded = result.BytesDownloaded;
        Elapsed = result.Elapsed;
    }

    /// <summary>The saved content pinned by digest.</summary>
    public string Reference { get; }

    /// <summary>The digest of the manifest or index the layout's index.json names.</summary>
    public string Digest { get; }

    /// <summary>Its media type.</summary>
    public string MediaType { get; }

    /// <summary>The layout folder.</summary>
    public string Path { get; }

    /// <summary>The <c>org.opencontainers.image.ref.name</c> written, if any.</summary>
    public string? Tag { get; }

    /// <summary>Manifests and indexes written.</summary>
    public int Manifests { get; }

    /// <summary>Config and layer blobs in the image.</summary>
    public int Blobs { get; }

    /// <summary>Blobs already in the layout and verified, so not downloaded.</summary>
    public int BlobsReused { get; }

    /// <summary>Referrers saved with the image (with -IncludeReferrers).</summary>
    public int Referrers { get; }

    /// <summary>Bytes downloaded.</summary>
    public long BytesDownloaded { get; }

    /// <summary>Wall-clock time.</summary>
    public TimeSpan Elapsed { get; }
}
