using System;
using System.IO;

namespace OciRegistry.Core.Archive;

/// <summary>
/// A layer's tar stream, decompressed as it is read, and the compression that was found. Disposing it releases the
/// decompressor but leaves the compressed stream open: the caller that opened it usually still has to drain it to
/// finish the blob's digest.
/// </summary>
public sealed class DecompressedLayer : IDisposable
{
    internal DecompressedLayer(Stream stream, LayerCompression compression)
    {
        Stream = stream;
        Compression = compression;
    }

    /// <summary>The uncompressed tar: read-only and forward-only; hand it to a <see cref="TarReader"/>.</summary>
    public Stream Stream { get; }

    /// <summary>What the first bytes of the blob said it was.</summary>
    public LayerCompression Compression { get; }

    /// <summary>Releases the decompressor; the compressed stream stays open.</summary>
    public void Dispose() => Stream.Dispose();
}
