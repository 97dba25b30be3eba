namespace OciRegistry.Core.Extraction;

/// <summary>A layer this module cannot read as a filesystem: an encrypted layer, or a media type that is not a tar.</summary>
public sealed class UnsupportedLayerException : OciException
{
    /// <summary>Creates the exception.</summary>
    public UnsupportedLayerException(LayerName layer, string mediaType, bool encrypted)
        : base(encrypted
            ? $"layer {layer} is encrypted ({mediaType}); it cannot be read without its key"
            : $"layer {layer} has the media type '{mediaType}', which is not a filesystem layer (tar, tar+gzip or tar+zstd)")
    {
        Layer = layer;
        MediaType = mediaType;
        Encrypted = encrypted;
    }

    /// <summary>The layer.</summary>
    public LayerName Layer { get; }

    /// <summary>Its media type as the manifest gives it.</summary>
    public string MediaType { get; }

    /// <summary>Whether it is an encrypted layer.</summary>
    public bool Encrypted { get; }
}
