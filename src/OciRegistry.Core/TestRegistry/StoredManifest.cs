using OciRegistry.Core.References;

namespace OciRegistry.Core.TestRegistry;

/// <summary>A manifest as the registry serves it: its exact bytes, digest and media type.</summary>
internal sealed class StoredManifest(Digest digest, string mediaType, byte[] content)
{
    public Digest Digest { get; } = digest;

    public string MediaType { get; } = mediaType;

    /// <summary>The exact bytes; never handed outside the test registry, so never copied.</summary>
    public byte[] Content { get; } = content;
}
