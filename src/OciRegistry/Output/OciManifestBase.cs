using System.Collections.Generic;
using System.Linq;
using System.Text;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;

namespace OciRegistry.Output;

/// <summary>What manifests and indexes share: where they came from, their digest, media type and raw bytes.</summary>
public abstract class OciManifestBase
{
    private readonly ManifestDocument _document;

    private protected OciManifestBase(ManifestDocument document, Reference requested)
    {
        _document = document;
        Registry = requested.Registry;
        Repository = requested.Repository;
        Tag = requested.Tag;
        Digest = document.Digest.ToString();
        Reference = requested.AtDigest(document.Digest).ToString();
        MediaType = document.MediaType;
        ArtifactType = document.ArtifactType;
        Size = document.Size;
        Annotations = document.Annotations.ToDictionary(p => p.Key, p => p.Value);
        Subject = document.Subject is null ? null : new OciDescriptor(document.Subject);
        ServedBy = document.ServedBy;
    }

    /// <summary>The endpoint that served it (<c>host[:port]</c>): the registry itself, or one of its mirrors.</summary>
    public string? ServedBy { get; }

    /// <summary>The content pinned by digest: <c>registry/repository@digest</c>.</summary>
    public string Reference { get; }

    /// <summary>The registry.</summary>
    public string Registry { get; }

    /// <summary>The repository.</summary>
    public string Repository { get; }

    /// <summary>The tag asked for, if any.</summary>
    public string? Tag { get; }

    /// <summary>The digest of the exact bytes.</summary>
    public string Digest { get; }

    /// <summary>The media type.</summary>
    public string MediaType { get; }

    /// <summary>The artifact type, if any.</summary>
    public virtual string? ArtifactType { get; }

    /// <summary>The size of the manifest itself in bytes.</summary>
    public long Size { get; }

    /// <summary>Annotations.</summary>
    public Dictionary<string, string> Annotations { get; }

    /// <summary>The manifest this one refers to (signatures, SBOMs), if any.</summary>
    public OciDescriptor? Subject { get; }

    /// <summary>The exact bytes as the registry sent them.</summary>
    public byte[] GetRawContent() => _document.GetRawContent();

    /// <summary>The exact bytes as UTF-8 text.</summary>
    public string GetRawText() => Encoding.UTF8.GetString(_document.GetRawContent());

    /// <summary>The reference.</summary>
    public override string ToString() => Reference;

    private protected static OciDescriptor[] Wrap(IEnumerable<Descriptor> descriptors) => descriptors.Select(d => new OciDescriptor(d)).ToArray();
}
