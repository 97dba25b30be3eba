using System;
using System.Collections.Generic;

namespace OciRegistry.Core.References;

/// <summary>
/// A tag read as a version, for ordering tags newest to oldest: <c>1.2.3</c>, <c>v1</c>, <c>1.2.3.4</c>,
/// <c>1.2.0-rc.10</c>.
/// </summary>
/// <remarks>
/// <para>The grammar, checked by hand rather than by a regular expression because a sort parses every tag:</para>
/// <code>^[vV]?\d+(\.\d+){0,3}(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$</code>
/// <para>
/// The pre-release part follows Semantic Versioning 2.0.0 §9 and §11 (https://semver.org/#spec-item-11). OCI tags
/// cannot hold <c>+</c> (https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-manifests),
/// so there is no build metadata to ignore.
/// </para>
/// <para>
/// One exception to the grammar: a single number followed at once by <c>-</c> and a digit (<c>2024-01-01</c>,
/// <c>20240115-3</c>) is a date or a build stamp, not a pre-release of version 2024. Read as a version it would sort
/// above every <c>1.x</c> tag and become "the newest"; as a name it keeps its place among the other names, where
/// ordinal order puts ISO dates in date order. Dotted dates (<c>2024.01.15</c>) are versions: calendar versioning.
/// </para>
/// <para>
/// Numbers are kept as the digits written and compared by value without being parsed, so a 30-digit part neither
/// overflows nor loses precision.
/// </para>
/// </remarks>
public sealed class TagVersion
{
    /// <summary>The most numeric parts a version has: <c>1.2.3.4</c>.</summary>
    public const int MaxNumbers = 4;

    private static readonly string[] NoIdentifiers = [];

    private TagVersion(string tag, string[] numbers, string[] preRelease)
    {
        Tag = tag;
        Numbers = numbers;
        PreRelease = preRelease;
    }

    /// <summary>The tag as written.</summary>
    public string Tag { get; }

    /// <summary>The numeric parts as written (leading zeros kept), one to <see cref="MaxNumbers"/> of them.</summary>
    public IReadOnlyList<string> Numbers { get; }

    /// <summary>The dot-separated identifiers after <c>-</c>; empty for a release.</summary>
    public IReadOnlyList<string> PreRelease { get; }

    /// <summary>Whether the tag is a pre-release (it has a part after <c>-</c>).</summary>
    public bool IsPreRelease => PreRelease.Count > 0;

    /// <summary>Reads <paramref name="tag"/> as a version; false when it is not one (<c>latest</c>, <c>2024-01-01</c>).</summary>
    /// <param name="tag">A tag.</param>
    /// <param name="version">The version, or null.</param>
    public static bool TryParse(string? tag, out TagVersion? version)
    {
        version = tag is null ? null : Parse(tag);
        return version is not null;
    }

    /// <summary>
    /// Compares two versions by value: numeric parts as numbers (a missing part is 0, so <c>1.2</c> and
    /// <c>1.2.0</c> compare equal here), then a release above its pre-releases, then pre-release identifiers.
    /// <see cref="TagVersionComparer"/> breaks the ties this leaves.
    /// </summary>
    /// <param name="x">One version.</param>
    /// <param name="y">The other.</param>
    /// <returns>Negative when <paramref name="x"/> is older, positive when it is newer, 0 when they are equal by value.</returns>
    public static int CompareValues(TagVersion x, TagVersion y)
    {
        if (x is null)
        {
            throw new ArgumentNullException(nameof(x));
        }

        if (y is null)
        {
            throw new ArgumentNullException(nameof(y));
        }

        for (var i = 0; i < MaxNumbers; i++)
        {
            var byNumber = CompareNumbers(i < x.Numbers.Count ? x.Numbers[i] : "0", i < y.Numbers.Count ? y.Numbers[i] : "0");
            if (byNumber != 0)
            {
                return byNumber;
            }
        }

        // semver §11.3: a pre-release has lower precedence than its release.
        if (x.IsPreRelease != y.IsPreRelease)
        {
            return x.IsPreRelease ? -1 : 1;
        }

        // semver §11.4: identifier by identifier; a shorter set is lower when all before are equal.
        var common = Math.Min(x.PreRelease.Count, y.PreRelease.Count);
        for (var i = 0; i < common; i++)
        {
            var byIdentifier = CompareIdentifiers(x.PreRelease[i], y.PreRelease[i]);
            if (byIdentifier != 0)
            {
                return byIdentifier;
            }
        }

        return x.PreRelease.Count.CompareTo(y.PreRelease.Count);
    }

    /// <inheritdoc/>
    public override string ToString() => Tag;

    // Numeric identifiers compare as numbers and below alphanumeric ones (semver §11.4.1-3).
    private static int CompareIdentifiers(string x, string y)
    {
        var xNumeric = IsDigits(x);
        var yNumeric = IsDigits(y);
        if (xNumeric && yNumeric)
        {
            return CompareNumbers(x, y);
        }

        if (xNumeric != yNumeric)
        {
            return xNumeric ? -1 : 1;
        }

        return Math.Sign(string.CompareOrdinal(x, y));
    }

    // Digits by value without parsing them: drop leading zeros, then more digits is more, then digit by digit.
    private static int CompareNumbers(string x, string y)
    {
        var a = x.TrimStart('0');
        var b = y.TrimStart('0');
        return a.Length != b.Length ? a.Length.CompareTo(b.Length) : Math.Sign(string.CompareOrdinal(a, b));
    }

    private static TagVersion? Parse(string tag)
    {
        var position = tag.Length > 0 && (tag[0] == 'v' || tag[0] == 'V') ? 1 : 0;
        var numbers = new List<string>(MaxNumbers);
        while (true)
        {
            var start = position;
            while (position < tag.Length && IsDigit(tag[position]))
            {
                position++;
            }

            if (position == start || numbers.Count == MaxNumbers)
            {
                return null;
            }

            numbers.Add(tag.Substring(start, position - start));
            if (position < tag.Length && tag[position] == '.')
            {
                position++;
                continue;
            }

            break;
        }

        if (position == tag.Length)
        {
            return new TagVersion(tag, [.. numbers], NoIdentifiers);
        }

        if (tag[position] != '-' || (numbers.Count == 1 && position + 1 < tag.Length && IsDigit(tag[position + 1])))
        {
            return null;
        }

        var identifiers = tag.Substring(position + 1).Split('.');
        foreach (var identifier in identifiers)
        {
            if (identifier.Length == 0 || !IsIdentifier(identifier))
            {
                return null;
            }
        }

        return new TagVersion(tag, [.. numbers], identifiers);
    }

    private static bool IsIdentifier(string text)
    {
        foreach (var c in text)
        {
            if (!IsDigit(c) && !(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') && c != '-')
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsDigits(string text)
    {
        foreach (var c in text)
        {
            if (!IsDigit(c))
            {
                return false;
            }
        }

        return text.Length > 0;
    }

    // ASCII only: char.IsDigit also accepts Arabic-Indic and other digits, which a tag cannot hold anyway.
    private static bool IsDigit(char c) => c >= '0' && c <= '9';
}
