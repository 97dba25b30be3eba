using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using OciRegistry.Core.LocalFiles;

namespace OciRegistry.Core.Extraction;

/// <summary>
/// The staging folder of an expansion and what this command has written into it, path by path. Every entry is
/// checked against this record, not against the disk: a parent that is a symbolic link here refuses the entry
/// (it would be written through the link), a hard link must name a file recorded here, and on a file system that
/// ignores case two names that differ only by case are refused rather than merged.
/// </summary>
internal sealed class StagingTree
{
    private const int SetIdBits = 0xC00; // 0o6000
    private const int ImplicitDirectoryMode = 0x1ED; // 0o755
    private const int DeviceWarnings = 10;

    private readonly string _root;
    private readonly ExtractionOptions _options;
    private readonly ExpandedImage _result;
    private readonly Dictionary<string, Node> _nodes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _rootChildren = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>? _folded;
    private readonly HashSet<string> _madeOpaque = new(StringComparer.Ordinal);
    private OpenLayer? _layer;
    private int _layerIndex;
    private int _devicesSkipped;

    public StagingTree(string root, ExtractionOptions options, ExpandedImage result)
    {
        _root = root;
        _options = options;
        _result = result;
        if (options.CaseInsensitive ?? FileSystemEntry.IsCaseInsensitive(root))
        {
            _folded = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        }
    }

    public void CountSkipped(int count) => _result.Skipped += count;

    public void BeginLayer(OpenLayer layer)
    {
        _madeOpaque.Clear();
        _layer = layer;
        _layerIndex = layer.Name.Index;
    }

    /// <summary>Whether -Include lets the entry's path (or a folder above it) through.</summary>
    public bool Wants(LayerEntry entry)
    {
        if (_options.Include is not { } include)
        {
            return true;
        }

        if (include(entry.Path))
        {
            return true;
        }

        foreach (var ancestor in EntryPath.Ancestors(entry.Path))
        {
            if (include(ancestor))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Applies every entry but a regular file's content: whiteouts, folders, links; devices are skipped.</summary>
    public void Apply(LayerEntry entry)
    {
        switch (entry.Kind)
        {
            case LayerEntryKind.Whiteout:
                if (_nodes.TryGetValue(entry.Path, out var hidden) && hidden.Layer != _layerIndex)
                {
                    Remove(entry.Path);
                }

                return;
            case LayerEntryKind.OpaqueWhiteout:
                // Once per folder and layer: a layer repeating the marker must not walk the folder again each time.
                if (_madeOpaque.Add(entry.Path))
                {
                    ClearLowerChildren(entry.Path);
                }

                return;
        }

        if (!Wants(entry))
        {
            return;
        }

        switch (entry.Kind)
        {
            case LayerEntryKind.Directory:
                ApplyDirectory(entry);
                break;
            case LayerEntryKind.SymbolicLink:
                ApplySymbolicLink(entry);
                break;
            case LayerEntryKind.HardLink:
                ApplyHardLink(entry);
                break;
            default:
                _result.Skipped++;
                if (++_devicesSkipped <= DeviceWarnings)
                {
                    _options.Warn($"Skipped {Describe(entry.Kind)} '/{entry.Path}' of layer {_layer!.Name}: device nodes and FIFOs are not created.");
                }
                else if (_devicesSkipped == DeviceWarnings + 1)
                {
                    _options.Warn("Further device nodes and FIFOs are skipped without a warning each.");
                }

                break;
        }
    }

    /// <summary>Creates the file for a regular file entry (its content is copied by the caller); null when skipped.</summary>
    public FileStream? CreateFile(LayerEntry entry)
    {
        var full = Prepare(entry);
        if (full is null)
        {
            return null;
        }

        return RegularFile.OpenWrite(full, FileMode.CreateNew);
    }

    /// <summary>Records a file whose content has been written, and sets its mode and time.</summary>
    public void FinishFile(LayerEntry entry)
    {
        var full = FullPath(entry.Path);
        SetMetadata(full, entry);
        Record(entry.Path, LayerEntryKind.File, entry);
        _result.Files++;
        _result.Size += entry.Tar.Size;
    }

    /// <summary>
    /// Sets the folders' modes and times last, deepest first, since writing into a folder changes its time; the root
    /// (created private, as staging) gets the usual 0755.
    /// </summary>
    public void SetDirectoryMetadata()
    {
        if (!IsWindows)
        {
            FileSystemEntry.SetMode(_root, ImplicitDirectoryMode);
        }

        foreach (var pair in _nodes.Where(pair => pair.Value.Kind == LayerEntryKind.Directory).OrderByDescending(pair => pair.Key.Length))
        {
            var full = FullPath(pair.Key);
            if (!IsWindows)
            {
                FileSystemEntry.SetMode(full, pair.Value.Mode);
            }

            FileSystemEntry.SetModifiedTime(full, pair.Value.Time);
        }
    }

    private static bool IsWindows => System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows);

    private void ApplyDirectory(LayerEntry entry)
    {
        if (_nodes.TryGetValue(entry.Path, out var existing) && existing.Kind == LayerEntryKind.Directory)
        {
            if (LinkAbove(entry) is null)
            {
                existing.Update(_layerIndex, Mode(entry.Tar.Mode), entry.Tar.ModifiedTime);
                Touch(entry.Path);
            }

            return;
        }

        if (Prepare(entry) is { } full)
        {
            FileSystemEntry.CreateDirectory(full);
            Record(entry.Path, LayerEntryKind.Directory, entry);
            _result.Directories++;
        }
    }

    private void ApplySymbolicLink(LayerEntry entry)
    {
        if (Prepare(entry) is not { } full)
        {
            return;
        }

        try
        {
            FileSystemEntry.CreateSymbolicLink(full, entry.LinkTarget, TargetIsDirectory(entry));
        }
        catch (SymbolicLinkNotPermittedException e)
        {
            _result.Skipped++;
            _options.Warn($"Skipped the symbolic link '/{entry.Path}' -> '{EntryPath.Printable(entry.LinkTarget)}': {e.Message}");
            return;
        }

        FileSystemEntry.SetModifiedTime(full, entry.Tar.ModifiedTime);
        Record(entry.Path, LayerEntryKind.SymbolicLink, entry);
        _result.Links++;
    }

    private void ApplyHardLink(LayerEntry entry)
    {
        if (!_nodes.TryGetValue(entry.LinkTarget, out var target) || target.Kind != LayerEntryKind.File)
        {
            _layer!.Refuse(entry.Tar.Name, $"is a hard link to '/{EntryPath.Printable(entry.LinkTarget)}', which is not a file already extracted in the destination");
            return;
        }

        if (entry.LinkTarget == entry.Path || Prepare(entry) is not { } full)
        {
            return;
        }

        var existing = FullPath(entry.LinkTarget);
        try
        {
            FileSystemEntry.CreateHardLink(full, existing);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file system without hard links (FAT, some network shares): the content is copied instead.
            using var source = RegularFile.OpenRead(existing, allowHardLinks: true);
            using var copy = RegularFile.OpenWrite(full, FileMode.CreateNew);
            source.CopyTo(copy);
        }

        Record(entry.Path, LayerEntryKind.File, entry);
        _result.Links++;
    }

    // Makes room for an entry: its parents are folders (created if missing, replacing a file of a lower layer), none
    // of them a link; whatever is at its path is removed. Returns the full path, or null when the entry is refused.
    private string? Prepare(LayerEntry entry)
    {
        if (LinkAbove(entry) is { } link)
        {
            _layer!.Refuse(entry.Tar.Name, $"lies below '/{EntryPath.Printable(link)}', a symbolic link an earlier entry planted, and would be written through it");
            return null;
        }

        if (_folded is not null && _folded.TryGetValue(entry.Path, out var other) && other != entry.Path && _nodes.ContainsKey(other))
        {
            _layer!.Refuse(entry.Tar.Name, $"differs only by case from '/{EntryPath.Printable(other)}', and this file system does not tell them apart");
            return null;
        }

        foreach (var ancestor in EntryPath.Ancestors(entry.Path))
        {
            if (_nodes.TryGetValue(ancestor, out var node))
            {
                if (node.Kind == LayerEntryKind.Directory)
                {
                    node.Touched = _layerIndex;
                    continue;
                }

                Remove(ancestor);
            }
            else if (_folded is not null && _folded.TryGetValue(ancestor, out var folder))
            {
                _layer!.Refuse(entry.Tar.Name, $"lies below '/{EntryPath.Printable(ancestor)}', which differs only by case from '/{EntryPath.Printable(folder)}', and this file system does not tell them apart");
                return null;
            }

            FileSystemEntry.CreateDirectory(FullPath(ancestor));
            Add(ancestor, new Node(LayerEntryKind.Directory, _layerIndex, ImplicitDirectoryMode, DateTimeOffset.UtcNow));
            _result.Directories++;
        }

        if (_nodes.ContainsKey(entry.Path))
        {
            Remove(entry.Path);
        }

        return FullPath(entry.Path);
    }

    private string? LinkAbove(LayerEntry entry)
    {
        foreach (var ancestor in EntryPath.Ancestors(entry.Path))
        {
            if (_nodes.TryGetValue(ancestor, out var node) && node.Kind == LayerEntryKind.SymbolicLink)
            {
                return ancestor;
            }
        }

        return null;
    }

    private void Record(string path, LayerEntryKind kind, LayerEntry entry) =>
        Add(path, new Node(kind, _layerIndex, Mode(entry.Tar.Mode), entry.Tar.ModifiedTime));

    private void Add(string path, Node node)
    {
        _nodes[path] = node;
        ChildrenOf(EntryPath.Parent(path)).Add(path);
        if (_folded is not null && !_folded.ContainsKey(path))
        {
            _folded[path] = path;
        }
    }

    private HashSet<string> ChildrenOf(string directory) => directory.Length == 0 ? _rootChildren : _nodes[directory].Children!;

    private void Touch(string path)
    {
        foreach (var ancestor in EntryPath.Ancestors(path))
        {
            if (_nodes.TryGetValue(ancestor, out var node))
            {
                node.Touched = _layerIndex;
            }
        }
    }

    // An opaque directory: what lower layers put in it goes; what this layer put there (before the marker) stays.
    private void ClearLowerChildren(string directory)
    {
        if (directory.Length > 0 && (!_nodes.TryGetValue(directory, out var node) || node.Kind != LayerEntryKind.Directory))
        {
            return;
        }

        foreach (var child in ChildrenOf(directory).ToList())
        {
            var childNode = _nodes[child];
            if (childNode.Touched != _layerIndex)
            {
                Remove(child);
            }
            else if (childNode.Kind == LayerEntryKind.Directory)
            {
                ClearLowerChildren(child);
            }
        }
    }

    private void Remove(string path)
    {
        FileSystemEntry.Delete(FullPath(path));
        ChildrenOf(EntryPath.Parent(path)).Remove(path);
        Forget(path);
    }

    private void Forget(string path)
    {
        if (_nodes[path].Children is { } children)
        {
            foreach (var child in children)
            {
                Forget(child);
            }
        }

        _nodes.Remove(path);
        _folded?.Remove(path);
    }

    private bool TargetIsDirectory(LayerEntry entry) =>
        _nodes.TryGetValue(EntryPath.ResolveLink(entry.Path, entry.LinkTarget), out var target) && target.Kind == LayerEntryKind.Directory;

    private void SetMetadata(string full, LayerEntry entry)
    {
        if (!IsWindows)
        {
            FileSystemEntry.SetMode(full, Mode(entry.Tar.Mode));
        }

        FileSystemEntry.SetModifiedTime(full, entry.Tar.ModifiedTime);
    }

    private int Mode(int mode) => _options.PreservePermissions ? mode & 0xFFF : mode & 0xFFF & ~SetIdBits;

    private string FullPath(string path) => path.Length == 0 ? _root : Path.Combine(_root, path.Replace('/', Path.DirectorySeparatorChar));

    private static string Describe(LayerEntryKind kind) => kind switch
    {
        LayerEntryKind.CharacterDevice => "the character device",
        LayerEntryKind.BlockDevice => "the block device",
        _ => "the FIFO",
    };

    private sealed class Node(LayerEntryKind kind, int layer, int mode, DateTimeOffset time)
    {
        public LayerEntryKind Kind { get; } = kind;

        public HashSet<string>? Children { get; } = kind == LayerEntryKind.Directory ? new(StringComparer.Ordinal) : null;

        public int Layer { get; private set; } = layer;

        public int Touched { get; set; } = layer;

        public int Mode { get; private set; } = mode;

        public DateTimeOffset Time { get; private set; } = time;

        public void Update(int layer, int mode, DateTimeOffset time)
        {
            Layer = layer;
            Touched = layer;
            Mode = mode;
            Time = time;
        }
    }
}
