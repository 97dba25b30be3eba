using System;
using System.IO;
using System.IO.Compression;
using System.Threading;
using System.Threading.Tasks;

namespace OciRegistry.Core.Archive;

/// <summary>
/// Opens a layer blob as the tar inside it, choosing the decompressor from the blob's magic bytes alone. Registries
/// and tools mislabel layers (a zstd layer served as tar+gzip, a plain tar as gzip), and the bytes are what gets
/// hashed and unpacked, so the bytes decide.
/// </summary>
/// <remarks>
/// Magic numbers: gzip 1f 8b (RFC 1952 §2.3.1); zstd frame 28 b5 2f fd, skippable frame 5? 2a 4d 18
/// (RFC 8878 §3.1.1 and §3.1.2). Anything else is taken as an uncompressed tar, which the tar reader then checks.
/// </remarks>
public static class LayerDecompressor
{
    /// <summary>The most bytes any magic number here needs.</summary>
    private const int MagicBytes = 4;

    /// <summary>
    /// Peeks the first bytes of <paramref name="compressed"/> (they are still read by the returned stream) and wraps
    /// it in the matching decompressor. <paramref name="compressed"/> is not disposed with the result.
    /// </summary>
    /// <remarks>
    /// GZipStream reads concatenated gzip members on .NET Core 3.0 and later (PowerShell 7); .NET Framework's stops
    /// after the first member.
    /// </remarks>
    public static async Task<DecompressedLayer> OpenAsync(Stream compressed, CancellationToken cancellationToken = default)
    {
        if (compressed is null)
        {
            throw new ArgumentNullException(nameof(compressed));
        }

        var magic = new byte[MagicBytes];
        var length = 0;
        while (length < MagicBytes)
        {
            var read = await compressed.ReadAsync(magic, length, MagicBytes - length, cancellationToken).ConfigureAwait(false);
            if (read <= 0)
            {
                break;
            }

            length += read;
        }

        var whole = new PrefixedStream(magic, length, compressed);
        var compression = Detect(magic, length);
        Stream stream = compression switch
        {
            LayerCompression.Gzip => new GZipStream(whole, CompressionMode.Decompress, leaveOpen: false),
            LayerCompression.Zstd => new ZstdSharp.DecompressionStream(whole, leaveOpen: false),
            _ => whole,
        };
        return new DecompressedLayer(stream, compression);
    }

    /// <summary>The compression the first <paramref name="length"/> bytes of a blob announce.</summary>
    internal static LayerCompression Detect(byte[] magic, int length)
    {
        if (length >= 2 && magic[0] == 0x1f && magic[1] == 0x8b)
        {
            return LayerCompression.Gzip;
        }

        if (length >= 4 && magic[1] == 0xb5 && magic[2] == 0x2f && magic[3] == 0xfd && magic[0] == 0x28)
        {
            return LayerCompression.Zstd;
        }

        // A zstd stream may open with a skippable frame (magic 0x184D2A50 to 0x184D2A5F, little-endian).
        if (length >= 4 && (magic[0] & 0xf0) == 0x50 && magic[1] == 0x2a && magic[2] == 0x4d && magic[3] == 0x18)
        {
            return LayerCompression.Zstd;
        }

        return LayerCompression.None;
    }
}
