using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace OciRegistry.TestRegistry;

/// <summary>
/// Writes a minimal ustar archive of regular files, byte for byte the same on every run and runtime: fixed
/// owner, mode and modification time. Enough for sample layers; not a general tar writer.
/// https://pubs.opengroup.org/onlinepubs/9699919799/utilities/pax.html#tag_20_92_13_06.
/// </summary>
internal static class TarArchive
{
    private const int BlockSize = 512;

    /// <summary>Builds an archive holding <paramref name="files"/> in order, each with <paramref name="modified"/> as its time.</summary>
    public static byte[] Create(IEnumerable<KeyValuePair<string, byte[]>> files, DateTimeOffset modified)
    {
        using var archive = new MemoryStream();
        foreach (var file in files)
        {
            var header = Header(file.Key, file.Value.Length, modified.ToUnixTimeSeconds());
            archive.Write(header, 0, header.Length);
            archive.Write(file.Value, 0, file.Value.Length);
            var padding = (BlockSize - (file.Value.Length % BlockSize)) % BlockSize;
            archive.Write(new byte[padding], 0, padding);
        }

        // The end of an archive is two blocks of zeros.
        archive.Write(new byte[2 * BlockSize], 0, 2 * BlockSize);
        return archive.ToArray();
    }

    private static byte[] Header(string name, long size, long mtime)
    {
        var nameBytes = Encoding.ASCII.GetBytes(name);
        if (nameBytes.Length is 0 or > 100 || name.IndexOf('\0') >= 0 || Encoding.ASCII.GetString(nameBytes) != name)
        {
            throw new ArgumentException($"'{name}' is not an ASCII name of 1 to 100 characters", nameof(name));
        }

        var header = new byte[BlockSize];
        Buffer.BlockCopy(nameBytes, 0, header, 0, nameBytes.Length);
        Octal(header, 100, 8, 0x1A4); // mode 0644
        Octal(header, 108, 8, 0); // uid
        Octal(header, 116, 8, 0); // gid
        Octal(header, 124, 12, size);
        Octal(header, 136, 12, mtime);
        header[156] = (byte)'0'; // regular file
        Ascii(header, 257, "ustar\0");
        Ascii(header, 263, "00");
        Ascii(header, 265, "root");
        Ascii(header, 297, "root");
        Octal(header, 329, 8, 0); // devmajor
        Octal(header, 337, 8, 0); // devminor

        // The checksum is the byte sum of the header with its own field read as eight spaces, written as six
        // octal digits, a NUL and a space.
        Ascii(header, 148, "        ");
        var sum = 0;
        foreach (var b in header)
        {
            sum += b;
        }

        Ascii(header, 148, Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ");
        return header;
    }

    // A numeric field: octal digits filling all but the last byte, which is NUL.
    private static void Octal(byte[] header, int offset, int length, long value)
    {
        var digits = Convert.ToString(value, 8).PadLeft(length - 1, '0');
        if (digits.Length > length - 1)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value.ToString(CultureInfo.InvariantCulture) + " does not fit a tar header field");
        }

        Ascii(header, offset, digits + "\0");
    }

    private static void Ascii(byte[] header, int offset, string text) =>
        Encoding.ASCII.GetBytes(text, 0, text.Length, header, offset);
}
