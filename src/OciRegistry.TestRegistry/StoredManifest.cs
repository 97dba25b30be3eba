using System.Collections.Generic;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;

namespace OciRegistry.TestRegistry;

/// <summary>A manifest as the registry serves it: its exact bytes, digest and media type, and what referrers need.</summary>
internal sealed class StoredManifest(Digest digest, string mediaType, byte[] content, ManifestDocument? document = null)
{
    private static readonly IReadOnlyDictionary<string, string> NoAnnotations = new Dictionary<string, string>();

    public Digest Digest { get; } = digest;

    public string MediaType { get; } = mediaType;

    /// <summary>The exact bytes; never handed outside the test registry, so never copied.</summary>
    public byte[] Content { get; } = content;

    /// <summary>The digest of the manifest this one refers to (its <c>subject</c>); null for unchecked content.</summary>
    public Digest? Subject { get; } = document?.Subject?.Digest;

    /// <summary>
    /// What the referrers API reports as its artifact type: the manifest's <c>artifactType</c>, else its config's
    /// media type (https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-referrers).
    /// </summary>
    public string? ArtifactType { get; } = document?.ArtifactType ?? (document as ImageManifest)?.Config.MediaType;

    /// <summary>The manifest's own annotations, which the referrers API copies into its descriptors.</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; } = document?.Annotations ?? NoAnnotations;
}
