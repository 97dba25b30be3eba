using System.Collections.Generic;
using System.Linq;
using OciRegistry.Core.Models;

namespace OciRegistry.Output;

/// <summary>
/// A pointer to content in a registry. It knows where it came from, so it can be piped on:
/// an index entry into <c>Get-OciManifest</c>, a layer into <c>Save-OciBlob</c>.
/// </summary>
public sealed class OciDescriptor
{
    internal OciDescriptor(Descriptor descriptor)
    {
        MediaType = descriptor.MediaType;
        Digest = descriptor.Digest.ToString();
        Size = descriptor.Size;
        ArtifactType = descriptor.ArtifactType;
        Platform = descriptor.Platform is null ? null : new OciPlatform(descriptor.Platform);
        Annotations = new Dictionary<string, string>(descriptor.Annotations.ToDictionary(p => p.Key, p => p.Value));
        Urls = [.. descriptor.Urls];
        Title = descriptor.Title;
        Registry = descriptor.Source?.Registry;
        Repository = descriptor.Source?.Repository;
        Reference = descriptor.Source is null ? null : descriptor.Source.AtDigest(descriptor.Digest).ToString();
    }

    /// <summary>The media type.</summary>
    public string MediaType { get; }

    /// <summary>The digest, <c>algorithm:hex</c>.</summary>
    public string Digest { get; }

    /// <summary>The size in bytes.</summary>
    public long Size { get; }

    /// <summary>The artifact type, on index entries and referrers.</summary>
    public string? ArtifactType { get; }

    /// <summary>The platform, on index entries.</summary>
    public OciPlatform? Platform { get; }

    /// <summary>Annotations.</summary>
    public Dictionary<string, string> Annotations { get; }

    /// <summary>Alternative download locations.</summary>
    public string[] Urls { get; }

    /// <summary>The <c>org.opencontainers.image.title</c> annotation: a layer's file name.</summary>
    public string? Title { get; }

    /// <summary>The registry the descriptor was read from.</summary>
    public string? Registry { get; }

    /// <summary>The repository the descriptor was read from.</summary>
    public string? Repository { get; }

    /// <summary>The content pinned by digest: <c>registry/repository@digest</c>.</summary>
    public string? Reference { get; }

    /// <summary>The digest.</summary>
    public override string ToString() => Digest;
}
