using System;
using System.Text;
using OciRegistry.Core.Extraction;

namespace OciRegistry.Output;

/// <summary>An entry of a layer, or of an image's filesystem, as Get-OciLayerItem emits it.</summary>
public sealed class OciLayerItem
{
    internal OciLayerItem(LayerItem item)
    {
        Path = item.Path;
        Type = (OciLayerItemType)(int)item.Kind;
        Size = item.Size;
        ModeBits = item.Mode;
        Mode = FormatMode(item.Kind, item.Mode);
        Uid = item.Uid;
        Gid = item.Gid;
        UserName = item.UserName;
        GroupName = item.GroupName;
        ModifiedTime = item.ModifiedTime;
        LinkTarget = item.LinkTarget.Length == 0 ? null : item.LinkTarget;
        LayerIndex = item.LayerIndex;
        LayerDigest = item.LayerDigest.ToString();
    }

    /// <summary>The path from the image root, e.g. <c>/usr/bin/tool</c>; a whiteout's is what it deletes.</summary>
    public string Path { get; }

    /// <summary>File, Directory, SymbolicLink, HardLink, Whiteout, OpaqueWhiteout, CharacterDevice, BlockDevice or Fifo.</summary>
    public OciLayerItemType Type { get; }

    /// <summary>A file's size in bytes; 0 for anything else.</summary>
    public long Size { get; }

    /// <summary>The mode as <c>ls -l</c> shows it, e.g. <c>-rwxr-xr-x</c>.</summary>
    public string Mode { get; }

    /// <summary>The 12 permission bits as a number (<c>[Convert]::ToString($_.ModeBits, 8)</c> shows them in octal).</summary>
    public int ModeBits { get; }

    /// <summary>The owner's user id.</summary>
    public long Uid { get; }

    /// <summary>The owner's group id.</summary>
    public long Gid { get; }

    /// <summary>The owner's user name, if the layer gives one.</summary>
    public string UserName { get; }

    /// <summary>The owner's group name, if the layer gives one.</summary>
    public string GroupName { get; }

    /// <summary>When the entry was last modified.</summary>
    public DateTimeOffset ModifiedTime { get; }

    /// <summary>A symbolic link's target as written, or a hard link's target path; null otherwise.</summary>
    public string? LinkTarget { get; }

    /// <summary>The layer's position in the manifest, 0 for the base.</summary>
    public int LayerIndex { get; }

    /// <summary>The layer's digest.</summary>
    public string LayerDigest { get; }

    /// <inheritdoc/>
    public override string ToString() => Path;

    private static string FormatMode(LayerEntryKind kind, int mode)
    {
        var text = new StringBuilder(10);
        text.Append(kind switch
        {
            LayerEntryKind.Directory or LayerEntryKind.OpaqueWhiteout => 'd',
            LayerEntryKind.SymbolicLink => 'l',
            LayerEntryKind.CharacterDevice => 'c',
            LayerEntryKind.BlockDevice => 'b',
            LayerEntryKind.Fifo => 'p',
            LayerEntryKind.Whiteout => 'w',
            _ => '-',
        });
        for (var shift = 6; shift >= 0; shift -= 3)
        {
            var bits = (mode >> shift) & 7;
            var special = (mode >> (9 + (shift / 3))) & 1;
            text.Append((bits & 4) != 0 ? 'r' : '-');
            text.Append((bits & 2) != 0 ? 'w' : '-');
            var execute = (bits & 1) != 0;
            text.Append(special == 0 ? (execute ? 'x' : '-') : shift switch
            {
                0 => execute ? 't' : 'T',
                _ => execute ? 's' : 'S',
            });
        }

        return text.ToString();
    }
}
