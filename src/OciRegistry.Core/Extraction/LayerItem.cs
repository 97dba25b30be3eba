using System;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Extraction;

/// <summary>
/// One entry of a layer, or of the filesystem all layers make: its path from the image root (<c>/</c>-rooted,
/// normalised), what it is and its metadata as the archive gives them. A whiteout's path is the path it deletes; an
/// opaque whiteout's is the directory it empties.
/// </summary>
public sealed class LayerItem
{
    internal LayerItem(string path, LayerEntryKind kind, Archive.TarEntry entry, string linkTarget, LayerName layer)
    {
        Path = "/" + path;
        Kind = kind;
        Size = kind == LayerEntryKind.File ? entry.Size : 0;
        Mode = entry.Mode;
        Uid = entry.Uid;
        Gid = entry.Gid;
        UserName = entry.UserName;
        GroupName = entry.GroupName;
        ModifiedTime = entry.ModifiedTime;
        LinkTarget = linkTarget;
        LayerIndex = layer.Index;
        LayerDigest = layer.Digest;
    }

    /// <summary>The path from the image root, e.g. <c>/usr/bin/tool</c>.</summary>
    public string Path { get; }

    /// <summary>What the entry is.</summary>
    public LayerEntryKind Kind { get; }

    /// <summary>The size of a file's content; 0 for anything else.</summary>
    public long Size { get; }

    /// <summary>The 12 permission bits.</summary>
    public int Mode { get; }

    /// <summary>The owner's user id.</summary>
    public long Uid { get; }

    /// <summary>The owner's group id.</summary>
    public long Gid { get; }

    /// <summary>The owner's user name, if the archive gives one.</summary>
    public string UserName { get; }

    /// <summary>The owner's group name, if the archive gives one.</summary>
    public string GroupName { get; }

    /// <summary>When the entry was last modified.</summary>
    public DateTimeOffset ModifiedTime { get; }

    /// <summary>A symbolic link's target as written, or a hard link's target path from the root; "" otherwise.</summary>
    public string LinkTarget { get; }

    /// <summary>The layer's position in the manifest, 0 for the base.</summary>
    public int LayerIndex { get; }

    /// <summary>The layer's digest.</summary>
    public Digest LayerDigest { get; }
}
