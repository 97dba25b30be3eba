using System;

namespace OciRegistry.Core.Archive;

/// <summary>
/// One entry of a tar archive as the archive describes it, with pax, GNU and ustar fields already merged. Nothing is
/// normalised or checked for safety here: <see cref="Name"/> and <see cref="LinkName"/> come from an untrusted
/// archive and may hold "..", a leading '/', backslashes or NUL. Deciding where (and whether) an entry may be
/// written is the extractor's job, which needs the raw values to decide.
/// </summary>
public sealed class TarEntry
{
    internal TarEntry()
    {
    }

    /// <summary>
    /// The name as the archive gives it: the pax <c>path</c> record, else a GNU long name, else the ustar
    /// prefix + '/' + name, else the header name. Decoded as UTF-8 when the bytes are valid UTF-8, else as Latin-1.
    /// </summary>
    public string Name { get; internal init; } = string.Empty;

    /// <summary>What the entry is.</summary>
    public TarEntryType Type { get; internal init; }

    /// <summary>The number of data bytes; 0 for every type but <see cref="TarEntryType.File"/>.</summary>
    public long Size { get; internal init; }

    /// <summary>The permission bits (<c>0o7777</c>), setuid, setgid and sticky included; file-type bits are dropped.</summary>
    public int Mode { get; internal init; }

    /// <summary>The owner's numeric id (pax <c>uid</c> or the header).</summary>
    public long Uid { get; internal init; }

    /// <summary>The group's numeric id (pax <c>gid</c> or the header).</summary>
    public long Gid { get; internal init; }

    /// <summary>The owner's name; empty when the archive gives none (old v7 archives never do).</summary>
    public string UserName { get; internal init; } = string.Empty;

    /// <summary>The group's name; empty when the archive gives none.</summary>
    public string GroupName { get; internal init; } = string.Empty;

    /// <summary>The modification time, in UTC; a pax <c>mtime</c> keeps its fraction of a second (to 100 ns).</summary>
    public DateTimeOffset ModifiedTime { get; internal init; }

    /// <summary>
    /// The target of a symbolic or hard link, raw (pax <c>linkpath</c>, else a GNU long link name, else the
    /// header); empty when there is none.
    /// </summary>
    public string LinkName { get; internal init; } = string.Empty;

    /// <summary>The major number of a device entry; 0 otherwise.</summary>
    public int DeviceMajor { get; internal init; }

    /// <summary>The minor number of a device entry; 0 otherwise.</summary>
    public int DeviceMinor { get; internal init; }

    /// <summary>
    /// Where the entry's first header (its pax or GNU long-name record, if it has one) starts in the decompressed tar,
    /// in bytes, so that error messages can point at it.
    /// </summary>
    public long HeaderOffset { get; internal init; }

    /// <inheritdoc/>
    public override string ToString() => $"{Type} {Name}";
}
