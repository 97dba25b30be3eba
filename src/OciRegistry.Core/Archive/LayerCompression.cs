namespace OciRegistry.Core.Archive;

/// <summary>How a layer blob was compressed, as its first bytes say (not as its media type claims).</summary>
public enum LayerCompression
{
    /// <summary>Not compressed: the blob is the tar itself.</summary>
    None,

    /// <summary>gzip (RFC 1952), possibly several members one after another.</summary>
    Gzip,

    /// <summary>Zstandard (RFC 8878).</summary>
    Zstd,
}
