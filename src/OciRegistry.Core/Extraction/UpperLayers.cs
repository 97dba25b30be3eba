using System.Collections.Generic;

namespace OciRegistry.Core.Extraction;

/// <summary>
/// What the layers above the one being read have decided, for reading an image from the top down: a path an upper
/// layer has an entry for is theirs; below a whiteout, an opaque directory, or anything that is not a directory
/// (a file, a link) nothing of a lower layer shows. An entry counts for the layers below only once its own layer
/// has been read whole, since an opaque whiteout hides lower layers, never its own.
/// https://github.com/opencontainers/image-spec/blob/main/layer.md#whiteouts.
/// </summary>
internal sealed class UpperLayers
{
    private readonly HashSet<string> _taken = [];
    private readonly HashSet<string> _closed = [];
    private readonly HashSet<string> _links = [];
    private readonly List<LayerEntry> _pending = [];

    /// <summary>Whether an upper layer hides or replaces <paramref name="path"/>.</summary>
    public bool Hides(string path)
    {
        if (_taken.Contains(path))
        {
            return true;
        }

        foreach (var ancestor in EntryPath.Ancestors(path))
        {
            if (_closed.Contains(ancestor))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The nearest ancestor of <paramref name="path"/> that is a symbolic link in the filesystem so far (upper layers
    /// and the current one), or null: an entry below one would be written through it.
    /// </summary>
    public string? LinkAbove(string path)
    {
        foreach (var ancestor in EntryPath.Ancestors(path))
        {
            if (_links.Contains(ancestor))
            {
                return ancestor;
            }
        }

        return null;
    }

    /// <summary>Notes a visible entry of the current layer.</summary>
    public void Add(LayerEntry entry)
    {
        _pending.Add(entry);
        if (entry.Kind == LayerEntryKind.SymbolicLink)
        {
            _links.Add(entry.Path);
        }
    }

    /// <summary>The current layer has been read whole: its entries now decide for the layers below.</summary>
    public void EndLayer()
    {
        foreach (var entry in _pending)
        {
            switch (entry.Kind)
            {
                case LayerEntryKind.Directory:
                    _taken.Add(entry.Path);
                    break;
                case LayerEntryKind.OpaqueWhiteout:
                    _closed.Add(entry.Path);
                    break;
                default:
                    _taken.Add(entry.Path);
                    _closed.Add(entry.Path);
                    break;
            }
        }

        _pending.Clear();
    }
}
