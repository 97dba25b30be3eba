namespace OciRegistry.Core.Extraction;

/// <summary>
/// A layer entry that would write outside the destination, through a link, or onto a name the file system treats
/// specially; nothing of it was written. It names the layer and the entry as the archive spells it.
/// </summary>
public sealed class UnsafeEntryException : OciException
{
    /// <summary>Creates the exception for <paramref name="entryName"/> of layer <paramref name="layer"/>.</summary>
    public UnsafeEntryException(LayerName layer, string entryName, string reason)
        : base($"layer {layer}: the entry '{EntryPath.Printable(entryName)}' {reason}")
    {
        Layer = layer;
        EntryName = entryName;
        Reason = reason;
    }

    /// <summary>The layer that holds the entry.</summary>
    public LayerName Layer { get; }

    /// <summary>The entry's name as the archive gives it.</summary>
    public string EntryName { get; }

    /// <summary>Why it was refused, e.g. "has a '..' component".</summary>
    public string Reason { get; }
}
