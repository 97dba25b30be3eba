using System.Linq;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;

namespace OciRegistry.Output;

/// <summary>An image manifest (OCI or Docker schema 2), or an artifact manifest.</summary>
public sealed class OciManifest : OciManifestBase
{
    internal OciManifest(ImageManifest manifest, Reference requested, Platform? platform)
        : base(manifest, requested)
    {
        Config = new OciDescriptor(manifest.Config);
        Layers = Wrap(manifest.Layers);
        ArtifactType = manifest.EffectiveArtifactType;
        Platform = platform is null ? null : new OciPlatform(platform);
        TotalSize = manifest.Config.Size + manifest.Layers.Sum(l => l.Size);
    }

    /// <summary>The artifact type: <c>artifactType</c>, else the config media type when it is not an image config.</summary>
    public override string? ArtifactType { get; }

    /// <summary>The configuration blob.</summary>
    public OciDescriptor Config { get; }

    /// <summary>The layers, in order.</summary>
    public OciDescriptor[] Layers { get; }

    /// <summary>The platform, when the manifest was chosen from an index.</summary>
    public OciPlatform? Platform { get; }

    /// <summary>Config plus layers, in bytes: what a full pull downloads.</summary>
    public long TotalSize { get; }
}
