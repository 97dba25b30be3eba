using System;
using System.Collections.Generic;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Models;

/// <summary>What image manifests and indexes have in common, with the exact bytes they were parsed from.</summary>
public abstract class ManifestDocument
{
    private readonly byte[] _raw;

    private protected ManifestDocument(byte[] raw, Digest digest, string mediaType)
    {
        _raw = raw;
        Digest = digest;
        MediaType = mediaType;
    }

    /// <summary>The media type, from the document or, when it has none, from the response.</summary>
    public string MediaType { get; }

    /// <summary>The digest of the exact bytes.</summary>
    public Digest Digest { get; }

    /// <summary>The size of the exact bytes.</summary>
    public long Size => _raw.Length;

    /// <summary>The <c>artifactType</c> field, if present.</summary>
    public string? ArtifactType { get; internal init; }

    /// <summary>The <c>subject</c> this document refers to, if any.</summary>
    public Descriptor? Subject { get; internal init; }

    /// <summary>Annotations, empty when there are none.</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; internal init; } = new Dictionary<string, string>();

    /// <summary>Where the document was read from, if known.</summary>
    public Reference? Source { get; internal init; }

    /// <summary>The endpoint (<c>host[:port]</c>) that served it: the registry, or a mirror of it; null when not read from one.</summary>
    public string? ServedBy { get; internal set; }

    /// <summary>A copy of the exact bytes the document was parsed from.</summary>
    public byte[] GetRawContent() => (byte[])_raw.Clone();

    /// <summary>The exact bytes without copying, for callers inside the core.</summary>
    internal ReadOnlyMemory<byte> RawMemory => _raw;
}
