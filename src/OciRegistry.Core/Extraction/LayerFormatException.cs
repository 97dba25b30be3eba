using System;
using OciRegistry.Core.Archive;

namespace OciRegistry.Core.Extraction;

/// <summary>A layer that is not a well-formed tar (or holds what this reader refuses, such as sparse files), named.</summary>
public sealed class LayerFormatException : OciException
{
    /// <summary>Creates the exception around the tar reader's finding.</summary>
    public LayerFormatException(LayerName layer, TarFormatException inner)
        : base($"layer {layer} is not a valid tar archive: {inner.Message}", inner)
    {
        Layer = layer;
    }

    /// <summary>Creates the exception for compressed data the decompressor refused.</summary>
    public LayerFormatException(LayerName layer, Exception inner)
        : base($"layer {layer} has corrupt compressed data: {inner.Message}", inner)
    {
        Layer = layer;
    }

    /// <summary>The layer.</summary>
    public LayerName Layer { get; }
}
