namespace OciRegistry.Core.LocalFiles;

/// <summary>
/// What the file system says about one file: its kind, size, hard-link count and identity (device and inode on
/// Unix, volume serial and file index on Windows), which names the file itself whatever path leads to it.
/// </summary>
public readonly struct FileStatus
{
    /// <summary>Creates a status as the file system reported it.</summary>
    public FileStatus(FileKind kind, long size, long linkCount, (ulong Device, ulong Inode) identity)
    {
        Kind = kind;
        Size = size;
        LinkCount = linkCount;
        Identity = identity;
    }

    /// <summary>The status of a path where nothing is.</summary>
    public static FileStatus Missing => default;

    /// <summary>What the path names; a link is reported as a link, not as what it points to.</summary>
    public FileKind Kind { get; }

    /// <summary>The length in bytes (0 for what is not a regular file).</summary>
    public long Size { get; }

    /// <summary>How many names (hard links) the file has; more than 1 means a path elsewhere shares its content.</summary>
    public long LinkCount { get; }

    /// <summary>The file's identity: device and inode, or volume serial and file index on Windows.</summary>
    public (ulong Device, ulong Inode) Identity { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Kind}, {Size} bytes, {LinkCount} link(s), {Identity.Device}:{Identity.Inode}";
}
