using System;

namespace OciRegistry.Core.Archive;

/// <summary>
/// Merges what describes one entry into a <see cref="TarEntry"/>: its header, its local pax record, the global pax
/// defaults and GNU long names. Precedence, as POSIX and GNU define it: local pax, then global pax (owner and time
/// only), then a GNU long name, then the header.
/// </summary>
internal static class TarEntryBuilder
{
    public static TarEntry Build(TarHeader header, byte[] block, long firstOffset, long headerOffset, PaxAttributes local,
        PaxAttributes global, string? longName, string? longLink, int maximumNameBytes)
    {
        var name = local.Path ?? longName ?? header.Name;
        if (local.Path is null && longName is null && header.NameBytes > maximumNameBytes)
        {
            throw new TarFormatException(firstOffset, null, $"the name is {header.NameBytes} bytes, more than TarLimits.MaximumNameBytes ({maximumNameBytes})");
        }

        var type = EntryType(header.TypeFlag, name, firstOffset);
        var size = local.Size ?? header.Size;
        if (type != TarEntryType.File && size != 0)
        {
            // Go's and Python's readers ignore the size of header-only entries, GNU tar skips that many bytes: refusing
            // is the only reading on which every tool agrees about where the next header starts.
            throw new TarFormatException(firstOffset, name, $"a {Describe(type)} entry declares {size} data bytes; only regular files carry data");
        }

        var isLink = type is TarEntryType.SymbolicLink or TarEntryType.HardLink;
        var linkName = string.Empty;
        if (isLink)
        {
            linkName = local.LinkPath ?? longLink ?? header.LinkName;
            if (local.LinkPath is null && longLink is null && header.LinkNameBytes > maximumNameBytes)
            {
                throw new TarFormatException(firstOffset, name, $"the link name is {header.LinkNameBytes} bytes, more than TarLimits.MaximumNameBytes ({maximumNameBytes})");
            }
        }

        var (major, minor) = type is TarEntryType.CharacterDevice or TarEntryType.BlockDevice
            ? TarHeader.Devices(block, header.Format, headerOffset, name)
            : (0, 0);

        return new TarEntry
        {
            Name = name,
            Type = type,
            Size = size,
            Mode = header.Mode,
            Uid = local.Uid ?? global.Uid ?? header.Uid,
            Gid = local.Gid ?? global.Gid ?? header.Gid,
            UserName = local.UserName ?? global.UserName ?? header.UserName,
            GroupName = local.GroupName ?? global.GroupName ?? header.GroupName,
            ModifiedTime = local.ModifiedTime ?? global.ModifiedTime ?? HeaderTime(header, firstOffset, name),
            LinkName = linkName,
            DeviceMajor = major,
            DeviceMinor = minor,
            HeaderOffset = firstOffset,
        };
    }

    private static TarEntryType EntryType(byte flag, string name, long offset)
    {
        switch ((char)flag)
        {
            case '0':
            case '\0':
            case '7':
                // Old v7 archives had no directory type: a "file" whose name ends in '/' is a directory.
                return flag != '7' && name.EndsWith("/", StringComparison.Ordinal) ? TarEntryType.Directory : TarEntryType.File;
            case '1':
                return TarEntryType.HardLink;
            case '2':
                return TarEntryType.SymbolicLink;
            case '3':
                return TarEntryType.CharacterDevice;
            case '4':
                return TarEntryType.BlockDevice;
            case '5':
                return TarEntryType.Directory;
            case '6':
                return TarEntryType.Fifo;
            case 'S':
                throw new TarFormatException(offset, name, "a GNU sparse file, which this reader does not support");
            case 'M':
                throw new TarFormatException(offset, name, "the continuation of a file from another volume (GNU multi-volume archive), which this reader does not support");
            default:
                throw new TarFormatException(offset, name, $"the entry type {FlagText(flag)} is not one this reader knows");
        }
    }

    private static DateTimeOffset HeaderTime(TarHeader header, long offset, string name) =>
        TarNumbers.TryToTime(header.ModifiedSeconds, 0, out var time)
            ? time
            : throw new TarFormatException(offset, name, $"the mtime field ({header.ModifiedSeconds}) is not a time in range");

    private static string FlagText(byte flag) =>
        flag is >= 0x21 and < 0x7f ? $"'{(char)flag}'" : $"0x{flag:x2}";

    private static string Describe(TarEntryType type) => type switch
    {
        TarEntryType.Directory => "directory",
        TarEntryType.SymbolicLink => "symbolic link",
        TarEntryType.HardLink => "hard link",
        TarEntryType.CharacterDevice => "character device",
        TarEntryType.BlockDevice => "block device",
        TarEntryType.Fifo => "fifo",
        _ => "file",
    };
}
