using System;
using System.Collections.Generic;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Layout;

/// <summary>
/// What <see cref="OciLayoutReader.Read"/> found in a layout: its manifests and indexes (read, verified and
/// parsed), the files of the blobs they reference (checked for kind and size, not yet hashed), and its tags.
/// </summary>
public sealed class OciLayoutContent
{
    internal OciLayoutContent(
        string root,
        IReadOnlyList<ManifestDocument> manifests,
        IReadOnlyList<OciLayoutBlob> blobs,
        IReadOnlyList<KeyValuePair<string, Digest>> tags)
    {
        Root = root;
        Manifests = manifests;
        Blobs = blobs;
        Tags = tags;
    }

    /// <summary>The full path of the layout folder.</summary>
    public string Root { get; }

    /// <summary>Every manifest and index reachable from <c>index.json</c>, each once, parents before children.</summary>
    public IReadOnlyList<ManifestDocument> Manifests { get; }

    /// <summary>Every config and layer the manifests reference that the layout holds, each once.</summary>
    public IReadOnlyList<OciLayoutBlob> Blobs { get; }

    /// <summary>The tags <c>index.json</c> names, in its order (a name given twice keeps its last entry).</summary>
    public IReadOnlyList<KeyValuePair<string, Digest>> Tags { get; }
}

/// <summary>A blob of a layout: its descriptor and the full path of its file.</summary>
public sealed class OciLayoutBlob
{
    internal OciLayoutBlob(Descriptor descriptor, string path)
    {
        Descriptor = descriptor ?? throw new ArgumentNullException(nameof(descriptor));
        Path = path;
    }

    /// <summary>The descriptor that referenced the blob; its digest and size are the file's promise.</summary>
    public Descriptor Descriptor { get; }

    /// <summary>The full path of the blob's file: a regular file of the descriptor's size, with no other name.</summary>
    public string Path { get; }
}
