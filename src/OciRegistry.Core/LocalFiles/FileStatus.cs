namespace OciRegistry.Core.LocalFiles;

/// <summary>
/// What the file system says about one file: its kind, size, hard-link count and identity (device and inode on
/// Unix, volume serial and file index on Windows), which names the file itself whatever path leads to it.
/// </summary>
internal readonly struct FileStatus
{
    public FileStatus(FileKind kind, long size, long linkCount, (ulong Device, ulong Inode) identity)
    {
        Kind = kind;
        Size = size;
        LinkCount = linkCount;
        Identity = identity;
    }

    /// <summary>The status of a path where nothing is.</summary>
    public static FileStatus Missing => default;

    public FileKind Kind { get; }

    public long Size { get; }

    public long LinkCount { get; }

    public (ulong Device, ulong Inode) Identity { get; }

    public override string ToString() => $"{Kind}, {Size} bytes, {LinkCount} link(s), {Identity.Device}:{Identity.Inode}";
}
