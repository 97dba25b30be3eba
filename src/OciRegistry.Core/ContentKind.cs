namespace OciRegistry.Core;

/// <summary>What kind of content failed a check, so that hosts can name it (ManifestDigestMismatch, BlobDigestMismatch).</summary>
public enum ContentKind
{
    /// <summary>A manifest or index.</summary>
    Manifest,

    /// <summary>A config or layer blob.</summary>
    Blob,
}
