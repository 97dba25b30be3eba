using System.Collections.Generic;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Models;

/// <summary>An OCI image manifest or Docker v2 schema 2 manifest: a config and layers, or an artifact.</summary>
public sealed class ImageManifest : ManifestDocument
{
    internal ImageManifest(byte[] raw, Digest digest, string mediaType, Descriptor config, IReadOnlyList<Descriptor> layers)
        : base(raw, digest, mediaType)
    {
        Config = config;
        Layers = layers;
    }

    /// <summary>The configuration blob (for artifacts often the empty descriptor).</summary>
    public Descriptor Config { get; }

    /// <summary>The layers, in order.</summary>
    public IReadOnlyList<Descriptor> Layers { get; }

    /// <summary>
    /// The artifact type as the spec defines it: <c>artifactType</c>, else the config media type when that
    /// is not an image configuration. Null for ordinary images.
    /// </summary>
    public string? EffectiveArtifactType =>
        ArtifactType ?? (MediaTypes.IsImageConfig(Config.MediaType) ? null : Config.MediaType);
}
