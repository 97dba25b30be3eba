namespace OciRegistry.Core.LocalFiles;

/// <summary>What a path names, as <c>lstat</c> (or a reparse-point-aware open on Windows) sees it.</summary>
public enum FileKind
{
    /// <summary>Nothing is there.</summary>
    Missing,

    /// <summary>A regular file: the only kind that is read or written.</summary>
    Regular,

    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A symbolic link, or on Windows any reparse point (a junction, a mount point).</summary>
    SymbolicLink,

    /// <summary>A named pipe (a Unix FIFO, a Windows pipe).</summary>
    Fifo,

    /// <summary>A character device such as <c>/dev/zero</c> or <c>CON</c>.</summary>
    CharacterDevice,

    /// <summary>A block device.</summary>
    BlockDevice,

    /// <summary>A Unix domain socket.</summary>
    Socket,

    /// <summary>Anything else the system reports.</summary>
    Other,
}
