using System;

namespace OciRegistry.Core.Extraction;

/// <summary>
/// What to get from an image's filesystem: one path, whose links are followed (inside the image root), or a pattern
/// matched against every path, and with <see cref="Recurse"/> what lies below what matches.
/// </summary>
public sealed class ImageFileQuery
{
    /// <summary>A literal path (with or without a leading <c>/</c>).</summary>
    public static ImageFileQuery Literal(string path, bool recurse) => new(path, null, recurse);

    /// <summary>A pattern: <paramref name="match"/> is given each normalised path (no leading <c>/</c>).</summary>
    public static ImageFileQuery Pattern(string text, Func<string, bool> match, bool recurse) => new(text, match, recurse);

    private ImageFileQuery(string text, Func<string, bool>? match, bool recurse)
    {
        Text = text;
        Match = match;
        Recurse = recurse;
    }

    /// <summary>The path or pattern as given.</summary>
    public string Text { get; }

    /// <summary>The pattern's test; null for a literal path.</summary>
    public Func<string, bool>? Match { get; }

    /// <summary>Whether a folder brings what lies below it.</summary>
    public bool Recurse { get; }
}
