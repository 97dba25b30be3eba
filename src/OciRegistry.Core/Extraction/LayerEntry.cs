using OciRegistry.Core.Archive;

namespace OciRegistry.Core.Extraction;

/// <summary>A tar entry with its path normalised and its kind known (whiteouts told apart from files).</summary>
internal readonly struct LayerEntry
{
    public LayerEntry(TarEntry tar, string path, LayerEntryKind kind, string linkTarget)
    {
        Tar = tar;
        Path = path;
        Kind = kind;
        LinkTarget = linkTarget;
    }

    public TarEntry Tar { get; }

    /// <summary>The normalised path ("" never): a whiteout's is what it deletes, an opaque whiteout's its directory.</summary>
    public string Path { get; }

    public LayerEntryKind Kind { get; }

    /// <summary>A symbolic link's raw target, a hard link's normalised target path, else "".</summary>
    public string LinkTarget { get; }

    public LayerItem ToItem(LayerName layer) =>
        new(Path, Kind, Tar, Kind == LayerEntryKind.HardLink ? "/" + LinkTarget : LinkTarget, layer);
}
