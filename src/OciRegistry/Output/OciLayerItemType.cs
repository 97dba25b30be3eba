namespace OciRegistry.Output;

/// <summary>
/// What a layer entry is. The cmdlets' own copy of the core's kinds: an enum field in an output type must load with
/// the cmdlet assembly, before the core's assembly is reachable.
/// </summary>
public enum OciLayerItemType
{
    /// <summary>A regular file.</summary>
    File,

    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A symbolic link.</summary>
    SymbolicLink,

    /// <summary>A hard link to an earlier entry.</summary>
    HardLink,

    /// <summary>A whiteout: the path is deleted from lower layers.</summary>
    Whiteout,

    /// <summary>An opaque whiteout: the directory's content from lower layers is hidden.</summary>
    OpaqueWhiteout,

    /// <summary>A character device node.</summary>
    CharacterDevice,

    /// <summary>A block device node.</summary>
    BlockDevice,

    /// <summary>A FIFO.</summary>
    Fifo,
}
