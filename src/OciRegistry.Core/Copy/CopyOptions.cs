using System;
using OciRegistry.Core.Models;
using OciRegistry.Core.Transfer;

namespace OciRegistry.Core.Copy;

/// <summary>What <see cref="ImageCopier"/> copies and how.</summary>
public sealed class CopyOptions
{
    /// <summary>Copies only this platform's manifest of an index (its digest unchanged); null for the whole index.</summary>
    public Platform? Platform { get; set; }

    /// <summary>Also copies what refers to each copied manifest: signatures, SBOMs, attestations.</summary>
    public bool IncludeReferrers { get; set; }

    /// <summary>With <see cref="IncludeReferrers"/>, only referrers of this artifact type; null for all.</summary>
    public string? ArtifactType { get; set; }

    /// <summary>Replaces a destination tag that points at another manifest (otherwise an error names both).</summary>
    public bool Force { get; set; }

    /// <summary>How many blobs are copied at once.</summary>
    public int ThrottleLimit { get; set; } = 4;

    /// <summary>Receives per-blob progress; null for none.</summary>
    public IProgress<TransferProgress>? Progress { get; set; }

    /// <summary>Receives warnings (layers not copied); null drops them.</summary>
    public Action<string>? Warning { get; set; }
}
