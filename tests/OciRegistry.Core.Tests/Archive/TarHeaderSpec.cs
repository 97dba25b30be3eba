using System;
using System.Collections.Generic;
using System.Text;

namespace OciRegistry.Core.Tests.Archive;

/// <summary>
/// One raw 512-byte tar header with every field settable, so tests can write what no honest tar writer would:
/// wrong checksums, base-256 sizes larger than the data, unknown type flags, junk in numeric fields.
/// </summary>
internal sealed record TarHeaderSpec
{
    public string Name { get; init; } = "file";

    /// <summary>Raw name bytes, when the test needs bytes that are not UTF-8; overrides <see cref="Name"/>.</summary>
    public byte[]? NameBytes { get; init; }

    public int Mode { get; init; } = Convert.ToInt32("644", 8);

    public long Uid { get; init; }

    public long Gid { get; init; }

    public long Size { get; init; }

    public long ModifiedSeconds { get; init; } = 1_700_000_000;

    public char TypeFlag { get; init; } = '0';

    public string LinkName { get; init; } = "";

    public string Magic { get; init; } = "ustar\0" + "00";

    public string UserName { get; init; } = "";

    public string GroupName { get; init; } = "";

    public int DeviceMajor { get; init; }

    public int DeviceMinor { get; init; }

    public string Prefix { get; init; } = "";

    /// <summary>Raw bytes written over the prefix area after everything else (GNU keeps times there).</summary>
    public byte[]? PrefixBytes { get; init; }

    public TarChecksum Checksum { get; init; } = TarChecksum.Unsigned;

    /// <summary>Raw bytes for a numeric field, by its offset, written over the octal value (base-256, junk).</summary>
    public IReadOnlyDictionary<int, byte[]> RawFields { get; init; } = new Dictionary<int, byte[]>();

    public const int ModeField = 100, UidField = 108, GidField = 116, SizeField = 124, MTimeField = 136, DevMajorField = 329;

    public static TarHeaderSpec V7(string name, char typeFlag = '\0', long size = 0) =>
        new() { Name = name, TypeFlag = typeFlag, Size = size, Magic = "" };

    public static TarHeaderSpec Gnu(string name, char typeFlag = '0', long size = 0) =>
        new() { Name = name, TypeFlag = typeFlag, Size = size, Magic = "ustar  \0" };

    public byte[] ToBlock()
    {
        var block = new byte[512];
        Put(block, 0, 100, NameBytes ?? Encoding.UTF8.GetBytes(Name));
        Octal(block, ModeField, 8, Mode);
        Octal(block, UidField, 8, Uid);
        Octal(block, GidField, 8, Gid);
        Octal(block, SizeField, 12, Size);
        Octal(block, MTimeField, 12, ModifiedSeconds);
        block[156] = (byte)TypeFlag;
        Put(block, 157, 100, Encoding.UTF8.GetBytes(LinkName));
        Put(block, 257, 8, Encoding.ASCII.GetBytes(Magic));
        Put(block, 265, 32, Encoding.UTF8.GetBytes(UserName));
        Put(block, 297, 32, Encoding.UTF8.GetBytes(GroupName));
        if (Magic.Length > 0)
        {
            Octal(block, DevMajorField, 8, DeviceMajor);
            Octal(block, DevMajorField + 8, 8, DeviceMinor);
        }

        Put(block, 345, 155, Encoding.UTF8.GetBytes(Prefix));
        if (PrefixBytes is not null)
        {
            Put(block, 345, 155, PrefixBytes);
        }

        foreach (var (offset, bytes) in RawFields)
        {
            bytes.CopyTo(block, offset);
        }

        long unsignedSum = 8 * ' ';
        long signedSum = 8 * ' ';
        for (var i = 0; i < 512; i++)
        {
            if (i is < 148 or >= 156)
            {
                unsignedSum += block[i];
                signedSum += (sbyte)block[i];
            }
        }

        var sum = Checksum switch
        {
            TarChecksum.Signed => signedSum,
            TarChecksum.Wrong => unsignedSum + 1,
            _ => unsignedSum,
        };
        Put(block, 148, 8, Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 "));
        return block;
    }

    /// <summary>GNU base-256: 0x80, then the value big-endian in the rest of the field.</summary>
    public static byte[] Base256(long value, int fieldSize)
    {
        var bytes = new byte[fieldSize];
        bytes[0] = 0x80;
        for (var i = fieldSize - 1; i > 0 && value != 0; i--)
        {
            bytes[i] = (byte)(value & 0xff);
            value >>= 8;
        }

        return bytes;
    }

    private static void Octal(byte[] block, int offset, int size, long value)
    {
        var text = Convert.ToString(value, 8).PadLeft(size - 1, '0');
        if (text.Length < size)
        {
            Put(block, offset, size, Encoding.ASCII.GetBytes(text + "\0"));
        }
    }

    private static void Put(byte[] block, int offset, int size, byte[] value) =>
        Array.Copy(value, 0, block, offset, Math.Min(size, value.Length));
}
