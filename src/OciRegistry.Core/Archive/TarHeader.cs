using System;

namespace OciRegistry.Core.Archive;

/// <summary>
/// One 512-byte tar header block, checked and decoded. Knows the three layouts: ustar/pax (magic "ustar\0", version
/// "00", with a 155-byte name prefix), GNU (magic "ustar  \0", where the prefix bytes hold times instead) and old v7
/// (no magic: only name, mode, ids, size, time, type and link name mean anything).
/// </summary>
/// <remarks>Field layout: POSIX.1-2017 pax "ustar Interchange Format"; GNU tar manual, "Basic Tar Format".</remarks>
internal readonly struct TarHeader
{
    public const int BlockSize = 512;

    private const int NameOffset = 0, NameSize = 100;
    private const int ModeOffset = 100, ModeSize = 8;
    private const int UidOffset = 108, UidSize = 8;
    private const int GidOffset = 116, GidSize = 8;
    private const int SizeOffset = 124, SizeSize = 12;
    private const int MTimeOffset = 136, MTimeSize = 12;
    private const int ChecksumOffset = 148, ChecksumSize = 8;
    private const int TypeFlagOffset = 156;
    private const int LinkNameOffset = 157, LinkNameSize = 100;
    private const int MagicOffset = 257;
    private const int UserNameOffset = 265, UserNameSize = 32;
    private const int GroupNameOffset = 297, GroupNameSize = 32;
    private const int DevMajorOffset = 329, DevMajorSize = 8;
    private const int DevMinorOffset = 337, DevMinorSize = 8;
    private const int PrefixOffset = 345, PrefixSize = 155;

    /// <summary>The 12 permission bits, setuid/setgid/sticky included.</summary>
    private const int PermissionBits = 0xfff;

    /// <summary>ustar's magic; the version after it ("00") is not checked, as writers disagree on it.</summary>
    private static ReadOnlySpan<byte> UstarMagic => "ustar\0"u8;

    /// <summary>GNU's magic and version together.</summary>
    private static ReadOnlySpan<byte> GnuMagic => "ustar  \0"u8;

    private TarHeader(byte typeFlag, TarHeaderFormat format, string name, int nameBytes, int mode, long uid, long gid, long size,
        long modifiedSeconds, string linkName, int linkNameBytes, string userName, string groupName)
    {
        TypeFlag = typeFlag;
        Format = format;
        Name = name;
        NameBytes = nameBytes;
        Mode = mode;
        Uid = uid;
        Gid = gid;
        Size = size;
        ModifiedSeconds = modifiedSeconds;
        LinkName = linkName;
        LinkNameBytes = linkNameBytes;
        UserName = userName;
        GroupName = groupName;
    }

    public byte TypeFlag { get; }

    public TarHeaderFormat Format { get; }

    /// <summary>The header's own name: ustar prefix + '/' + name, or just the name.</summary>
    public string Name { get; }

    public int NameBytes { get; }

    public int Mode { get; }

    public long Uid { get; }

    public long Gid { get; }

    /// <summary>The size field: the length of the data (or of a pax/long-name record's body) that follows.</summary>
    public long Size { get; }

    public long ModifiedSeconds { get; }

    public string LinkName { get; }

    public int LinkNameBytes { get; }

    public string UserName { get; }

    public string GroupName { get; }

    /// <summary>True when every byte of the block is zero: an end-of-archive marker.</summary>
    public static bool IsZeroBlock(byte[] block)
    {
        for (var i = 0; i < BlockSize; i++)
        {
            if (block[i] != 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Checks and decodes <paramref name="block"/>, read at <paramref name="offset"/>; throws <see cref="TarFormatException"/>.</summary>
    public static TarHeader Parse(byte[] block, long offset)
    {
        if (!ChecksumMatches(block))
        {
            throw new TarFormatException(offset, null, "the header checksum does not match (this is not a tar header, or it is damaged)");
        }

        var format = block.AsSpan(MagicOffset, GnuMagic.Length).SequenceEqual(GnuMagic) ? TarHeaderFormat.Gnu
            : block.AsSpan(MagicOffset, UstarMagic.Length).SequenceEqual(UstarMagic) ? TarHeaderFormat.Ustar
            : TarHeaderFormat.V7;

        var nameLength = TarText.FieldLength(block, NameOffset, NameSize);
        var prefixLength = format == TarHeaderFormat.Ustar ? TarText.FieldLength(block, PrefixOffset, PrefixSize) : 0;
        string name;
        int nameBytes;
        if (prefixLength > 0)
        {
            var joined = new byte[prefixLength + 1 + nameLength];
            Buffer.BlockCopy(block, PrefixOffset, joined, 0, prefixLength);
            joined[prefixLength] = (byte)'/';
            Buffer.BlockCopy(block, NameOffset, joined, prefixLength + 1, nameLength);
            name = TarText.Decode(joined, 0, joined.Length);
            nameBytes = joined.Length;
        }
        else
        {
            name = TarText.Decode(block, NameOffset, nameLength);
            nameBytes = nameLength;
        }

        var linkLength = TarText.FieldLength(block, LinkNameOffset, LinkNameSize);
        var linkName = TarText.Decode(block, LinkNameOffset, linkLength);
        var hasOwnerNames = format != TarHeaderFormat.V7;
        var userName = hasOwnerNames ? TarText.Decode(block, UserNameOffset, TarText.FieldLength(block, UserNameOffset, UserNameSize)) : string.Empty;
        var groupName = hasOwnerNames ? TarText.Decode(block, GroupNameOffset, TarText.FieldLength(block, GroupNameOffset, GroupNameSize)) : string.Empty;

        return new TarHeader(
            block[TypeFlagOffset],
            format,
            name,
            nameBytes,
            (int)(Number(block, ModeOffset, ModeSize, "mode", offset, name) & PermissionBits),
            Number(block, UidOffset, UidSize, "uid", offset, name),
            Number(block, GidOffset, GidSize, "gid", offset, name),
            Number(block, SizeOffset, SizeSize, "size", offset, name),
            Number(block, MTimeOffset, MTimeSize, "mtime", offset, name),
            linkName,
            linkLength,
            userName,
            groupName);
    }

    /// <summary>The device numbers, read only for device entries (other writers leave junk there).</summary>
    public static (int Major, int Minor) Devices(byte[] block, TarHeaderFormat format, long offset, string name)
    {
        if (format == TarHeaderFormat.V7)
        {
            return (0, 0);
        }

        var major = Number(block, DevMajorOffset, DevMajorSize, "device major number", offset, name);
        var minor = Number(block, DevMinorOffset, DevMinorSize, "device minor number", offset, name);
        if (major > int.MaxValue || minor > int.MaxValue)
        {
            throw new TarFormatException(offset, name, "a device number does not fit 32 bits");
        }

        return ((int)major, (int)minor);
    }

    /// <summary>
    /// The checksum is the sum of the header's bytes with its own field read as spaces. Historic writers summed
    /// signed chars, so either sum is accepted, as GNU tar, Go and Python do.
    /// </summary>
    private static bool ChecksumMatches(byte[] block)
    {
        if (!TarNumbers.TryParseField(block.AsSpan(ChecksumOffset, ChecksumSize), out var stored, out _))
        {
            return false;
        }

        long unsignedSum = ' ' * ChecksumSize;
        long signedSum = ' ' * ChecksumSize;
        for (var i = 0; i < BlockSize; i++)
        {
            if (i >= ChecksumOffset && i < ChecksumOffset + ChecksumSize)
            {
                continue;
            }

            unsignedSum += block[i];
            signedSum += (sbyte)block[i];
        }

        return stored == unsignedSum || stored == signedSum;
    }

    private static long Number(byte[] block, int fieldOffset, int size, string field, long offset, string name)
    {
        if (!TarNumbers.TryParseField(block.AsSpan(fieldOffset, size), out var value, out var problem))
        {
            throw new TarFormatException(offset, name, $"the {field} field {problem}");
        }

        return value;
    }
}
