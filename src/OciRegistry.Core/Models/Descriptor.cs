using System.Collections.Generic;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Models;

/// <summary>
/// A pointer to content: media type, digest and size, with optional platform, annotations and artifact type.
/// See https://github.com/opencontainers/image-spec/blob/main/descriptor.md.
/// </summary>
public sealed record Descriptor
{
    /// <summary>The annotation that carries a file name for a layer.</summary>
    public const string TitleAnnotation = "org.opencontainers.image.title";

    /// <summary>The media type of the referenced content.</summary>
    public required string MediaType { get; init; }

    /// <summary>The digest of the referenced content.</summary>
    public required Digest Digest { get; init; }

    /// <summary>The size of the referenced content in bytes.</summary>
    public required long Size { get; init; }

    /// <summary>Alternative download locations (foreign layers).</summary>
    public IReadOnlyList<string> Urls { get; init; } = [];

    /// <summary>Annotations, empty when there are none.</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();

    /// <summary>The platform, on index entries.</summary>
    public Platform? Platform { get; init; }

    /// <summary>The artifact type, on index entries and referrers.</summary>
    public string? ArtifactType { get; init; }

    /// <summary>The repository this descriptor was read from (no tag or digest), so it can be fetched on its own.</summary>
    public Reference? Source { get; init; }

    /// <summary>The <c>org.opencontainers.image.title</c> annotation, if present.</summary>
    public string? Title => Annotations.TryGetValue(TitleAnnotation, out var title) ? title : null;
}
