using System;
using System.Collections.Generic;

namespace OciRegistry.Core.References;

/// <summary>
/// Orders tags by version (<see cref="TagVersion"/>): every version first, oldest to newest (or newest to oldest),
/// then every tag that is not a version (<c>latest</c>, <c>main</c>, <c>sha-abc123</c>, <c>2024-01-01</c>) in
/// ordinal order. Names stay last and in the same order either way: "the newest version" is the first tag of
/// <see cref="Descending"/>, never <c>latest</c>.
/// </summary>
/// <remarks>
/// A total order: versions equal by value (<c>1.2</c>, <c>1.2.0</c>, <c>v1.2</c>, <c>01.2</c>) are ordered by the
/// ordinal order of their text, so a sort gives the same result whatever order the registry listed them in.
/// </remarks>
public sealed class TagVersionComparer : IComparer<string>
{
    private readonly bool _newestFirst;

    private TagVersionComparer(bool newestFirst) => _newestFirst = newestFirst;

    /// <summary>Versions oldest first, then names.</summary>
    public static TagVersionComparer Ascending { get; } = new(newestFirst: false);

    /// <summary>Versions newest first, then names (still in ordinal order).</summary>
    public static TagVersionComparer Descending { get; } = new(newestFirst: true);

    /// <inheritdoc/>
    public int Compare(string? x, string? y)
    {
        if (x is null || y is null)
        {
            return x is null ? (y is null ? 0 : -1) : 1;
        }

        TagVersion.TryParse(x, out var xVersion);
        TagVersion.TryParse(y, out var yVersion);
        return Compare(x, xVersion, y, yVersion);
    }

    /// <summary>
    /// Sorts <paramref name="tags"/> in this order, reading each tag as a version once rather than at every
    /// comparison.
    /// </summary>
    /// <param name="tags">The tags; null entries are not allowed.</param>
    /// <returns>A new, sorted array.</returns>
    public string[] Sort(IEnumerable<string> tags)
    {
        if (tags is null)
        {
            throw new ArgumentNullException(nameof(tags));
        }

        var entries = new List<KeyValuePair<string, TagVersion?>>();
        foreach (var tag in tags)
        {
            if (tag is null)
            {
                throw new ArgumentException("A tag is null.", nameof(tags));
            }

            TagVersion.TryParse(tag, out var version);
            entries.Add(new KeyValuePair<string, TagVersion?>(tag, version));
        }

        // The order is total, so List.Sort being unstable does not make the result depend on the input order.
        entries.Sort((a, b) => Compare(a.Key, a.Value, b.Key, b.Value));
        var sorted = new string[entries.Count];
        for (var i = 0; i < sorted.Length; i++)
        {
            sorted[i] = entries[i].Key;
        }

        return sorted;
    }

    private int Compare(string x, TagVersion? xVersion, string y, TagVersion? yVersion)
    {
        if (xVersion is null || yVersion is null)
        {
            if (xVersion is not null || yVersion is not null)
            {
                return xVersion is not null ? -1 : 1;
            }

            return Math.Sign(string.CompareOrdinal(x, y));
        }

        var byValue = TagVersion.CompareValues(xVersion, yVersion);
        var order = byValue != 0 ? byValue : Math.Sign(string.CompareOrdinal(x, y));
        return _newestFirst ? -order : order;
    }
}
