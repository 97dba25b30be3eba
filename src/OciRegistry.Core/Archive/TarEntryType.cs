namespace OciRegistry.Core.Archive;

/// <summary>
/// What a tar entry is, after the dialects are folded together: type flags '0', '\0' and '7' are all
/// <see cref="File"/>, and an old-style file entry whose name ends in '/' is a <see cref="Directory"/>.
/// Header-only records (pax 'x'/'g', GNU 'L'/'K', volume labels) are never entries.
/// </summary>
public enum TarEntryType
{
    /// <summary>A regular file: the only type that carries data.</summary>
    File,

    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A symbolic link; <see cref="TarEntry.LinkName"/> is its target.</summary>
    SymbolicLink,

    /// <summary>A hard link to an earlier entry, named by <see cref="TarEntry.LinkName"/>.</summary>
    HardLink,

    /// <summary>A character device; see <see cref="TarEntry.DeviceMajor"/> and <see cref="TarEntry.DeviceMinor"/>.</summary>
    CharacterDevice,

    /// <summary>A block device; see <see cref="TarEntry.DeviceMajor"/> and <see cref="TarEntry.DeviceMinor"/>.</summary>
    BlockDevice,

    /// <summary>A named pipe.</summary>
    Fifo,
}
