using System.Collections.Generic;
using OciRegistry.Core.References;

namespace OciRegistry.TestRegistry;

/// <summary>
/// A manifest from <see cref="ManifestBuilder.Build"/>, ready to be stored: its exact bytes and the config and layer
/// blobs it references. Immutable.
/// </summary>
public sealed class BuiltManifest
{
    internal BuiltManifest(string mediaType, byte[] content, IReadOnlyList<StoredBlob> blobs)
    {
        MediaType = mediaType;
        Content = content;
        Digest = Digest.Compute(content);
        Blobs = blobs;
    }

    /// <summary>The manifest's media type.</summary>
    public string MediaType { get; }

    /// <summary>The sha256 digest of the manifest's bytes.</summary>
    public Digest Digest { get; }

    /// <summary>The size of the manifest in bytes.</summary>
    public long Size => Content.LongLength;

    /// <summary>The config first, then the layers in order.</summary>
    internal IReadOnlyList<StoredBlob> Blobs { get; }

    /// <summary>The manifest's bytes, never handed out (a copy is, by <see cref="GetContent"/>).</summary>
    internal byte[] Content { get; }

    /// <summary>A copy of the manifest's bytes.</summary>
    public byte[] GetContent() => (byte[])Content.Clone();
}
