using System;
using System.IO;

namespace OciRegistry.TestRegistry;

/// <summary>
/// Wraps bytes in a gzip member whose deflate stream uses stored (uncompressed) blocks only. Real gzip that any
/// decompressor reads, and unlike <c>GZipStream</c> the same bytes on every runtime and zlib version, so the
/// sample digests never change. https://www.rfc-editor.org/rfc/rfc1952, https://www.rfc-editor.org/rfc/rfc1951#section-3.2.4.
/// </summary>
internal static class StoredGzip
{
    private const int MaxStoredBlock = 65535;
    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>Returns the gzip encoding of <paramref name="content"/>.</summary>
    public static byte[] Compress(byte[] content)
    {
        using var output = new MemoryStream();

        // ID1 ID2, CM = deflate, no flags, MTIME = 0, no extra flags, OS = unknown.
        output.Write([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff], 0, 10);
        var offset = 0;
        do
        {
            var length = Math.Min(MaxStoredBlock, content.Length - offset);
            var final = offset + length == content.Length;

            // BFINAL and BTYPE = 00 (stored), then padding to the byte boundary; LEN and its complement NLEN.
            output.WriteByte(final ? (byte)1 : (byte)0);
            WriteUInt16(output, (ushort)length);
            WriteUInt16(output, (ushort)~length);
            output.Write(content, offset, length);
            offset += length;
        }
        while (offset < content.Length);

        WriteUInt32(output, Crc32(content));
        WriteUInt32(output, unchecked((uint)content.Length));
        return output.ToArray();
    }

    /// <summary>The CRC-32 (ISO 3309, reflected polynomial 0xEDB88320) that gzip's trailer carries.</summary>
    internal static uint Crc32(byte[] content)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in content)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return ~crc;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (var n = 0u; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }

    private static void WriteUInt16(Stream output, ushort value)
    {
        output.WriteByte((byte)value);
        output.WriteByte((byte)(value >> 8));
    }

    private static void WriteUInt32(Stream output, uint value)
    {
        WriteUInt16(output, (ushort)value);
        WriteUInt16(output, (ushort)(value >> 16));
    }
}
