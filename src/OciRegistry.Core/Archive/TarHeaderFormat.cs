namespace OciRegistry.Core.Archive;

/// <summary>Which header layout a block uses, from its magic bytes.</summary>
internal enum TarHeaderFormat
{
    /// <summary>Old Unix v7: no magic, no owner names, no prefix.</summary>
    V7,

    /// <summary>POSIX ustar (and pax, which is ustar plus extended records): the prefix field extends the name.</summary>
    Ustar,

    /// <summary>GNU tar's own: the bytes where ustar keeps its prefix hold access and change times.</summary>
    Gnu,
}
