using System;

namespace OciRegistry.Core.Models;

/// <summary>One step of an image's build history (an entry of the config's <c>history</c>).</summary>
/// <remarks>https://github.com/opencontainers/image-spec/blob/main/config.md#properties.</remarks>
public sealed class ImageHistoryEntry
{
    /// <summary>Creates an entry.</summary>
    public ImageHistoryEntry(DateTimeOffset? created, string? createdBy, string? comment, string? author, bool emptyLayer)
    {
        Created = created;
        CreatedBy = createdBy;
        Comment = comment;
        Author = author;
        EmptyLayer = emptyLayer;
    }

    /// <summary>When the step ran (<c>created</c>).</summary>
    public DateTimeOffset? Created { get; }

    /// <summary>The command that made it (<c>created_by</c>).</summary>
    public string? CreatedBy { get; }

    /// <summary>A comment (<c>comment</c>).</summary>
    public string? Comment { get; }

    /// <summary>Who made it (<c>author</c>).</summary>
    public string? Author { get; }

    /// <summary>Whether the step made no layer (<c>empty_layer</c>): an ENV or LABEL step.</summary>
    public bool EmptyLayer { get; }
}
