using OciRegistry.Core.Models;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Client;

/// <summary>What a reference resolves to, from a HEAD where the registry allows it: digest, media type, size.</summary>
public sealed class ManifestHead
{
    /// <summary>Records a resolution.</summary>
    public ManifestHead(Reference reference, Digest digest, string? mediaType, long? size, Platform? platform, bool readContent)
    {
        Reference = reference;
        Digest = digest;
        MediaType = mediaType;
        Size = size;
        Platform = platform;
        ReadContent = readContent;
    }

    /// <summary>The reference that was resolved, as asked (a tag, or a digest).</summary>
    public Reference Reference { get; }

    /// <summary>The digest of the manifest or index the reference names (with a platform: of that platform's entry).</summary>
    public Digest Digest { get; }

    /// <summary>Its media type, as the registry (or the index entry) states it; null when the registry sent none.</summary>
    public string? MediaType { get; }

    /// <summary>Its size in bytes; null when the registry did not say.</summary>
    public long? Size { get; }

    /// <summary>The platform of the chosen entry, when one was asked for; null otherwise.</summary>
    public Platform? Platform { get; }

    /// <summary>Whether the manifest was read with GET (HEAD refused, or it lacked the digest, or a platform was chosen).</summary>
    public bool ReadContent { get; }

    /// <summary>The content pinned by digest: <c>registry/repository@digest</c>.</summary>
    public Reference Pinned => Reference.AtDigest(Digest);
}
