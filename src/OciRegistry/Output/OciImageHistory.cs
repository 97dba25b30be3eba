using System;
using OciRegistry.Core.Models;

namespace OciRegistry.Output;

/// <summary>One step of an image's build history.</summary>
public sealed class OciImageHistory
{
    internal OciImageHistory(ImageHistoryEntry entry)
    {
        Created = entry.Created;
        CreatedBy = entry.CreatedBy;
        Comment = entry.Comment;
        Author = entry.Author;
        EmptyLayer = entry.EmptyLayer;
    }

    /// <summary>When the step ran.</summary>
    public DateTimeOffset? Created { get; }

    /// <summary>The command that made it, such as a Dockerfile line.</summary>
    public string? CreatedBy { get; }

    /// <summary>A comment.</summary>
    public string? Comment { get; }

    /// <summary>Who made it.</summary>
    public string? Author { get; }

    /// <summary>Whether the step made no layer (ENV, LABEL, CMD steps).</summary>
    public bool EmptyLayer { get; }

    /// <summary>The command that made it.</summary>
    public override string ToString() => CreatedBy ?? Comment ?? string.Empty;
}
