namespace OciRegistry.Core.Extraction;

/// <summary>What a layer entry is, whiteouts included (https://github.com/opencontainers/image-spec/blob/main/layer.md#whiteouts).</summary>
public enum LayerEntryKind
{
    /// <summary>A regular file.</summary>
    File,

    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A symbolic link.</summary>
    SymbolicLink,

    /// <summary>A hard link to an earlier entry.</summary>
    HardLink,

    /// <summary>A <c>.wh.NAME</c> entry: NAME of lower layers is deleted.</summary>
    Whiteout,

    /// <summary>A <c>.wh..wh..opq</c> entry: what lower layers hold in its directory is hidden.</summary>
    OpaqueWhiteout,

    /// <summary>A character device node.</summary>
    CharacterDevice,

    /// <summary>A block device node.</summary>
    BlockDevice,

    /// <summary>A FIFO.</summary>
    Fifo,
}
