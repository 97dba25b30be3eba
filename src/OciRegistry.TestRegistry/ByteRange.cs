using System;

namespace OciRegistry.TestRegistry;

/// <summary>
/// How to answer a request's <c>Range</c> header for a blob of a known size: the whole blob, one range, or
/// 416. https://www.rfc-editor.org/rfc/rfc9110#section-14.1 and #section-14.2.
/// </summary>
internal readonly struct ByteRange
{
    private ByteRange(ByteRangeKind kind, long start, long length)
    {
        Kind = kind;
        Start = start;
        Length = length;
    }

    public ByteRangeKind Kind { get; }

    /// <summary>The first byte to send.</summary>
    public long Start { get; }

    /// <summary>How many bytes to send (0 for <see cref="ByteRangeKind.Unsatisfiable"/>).</summary>
    public long Length { get; }

    /// <summary>The last byte sent, inclusive, as <c>Content-Range</c> writes it.</summary>
    public long End => Start + Length - 1;

    /// <summary>
    /// Evaluates <paramref name="header"/> against a blob of <paramref name="size"/> bytes. A missing header, an
    /// unknown unit, a syntactically invalid range and several ranges all mean "send everything": RFC 9110
    /// lets a server ignore a Range it does not want to honour, and a single 200 is what every client handles.
    /// </summary>
    public static ByteRange Evaluate(string? header, long size)
    {
        var full = new ByteRange(ByteRangeKind.Full, 0, size);
        if (header is null)
        {
            return full;
        }

        var text = header.Trim(' ', '\t');
        const string Unit = "bytes=";
        if (!text.StartsWith(Unit, StringComparison.OrdinalIgnoreCase) || text.IndexOf(',') >= 0)
        {
            return full;
        }

        var spec = text.Substring(Unit.Length).Trim(' ', '\t');
        var dash = spec.IndexOf('-');
        if (dash < 0)
        {
            return full;
        }

        var firstText = spec.Substring(0, dash);
        var lastText = spec.Substring(dash + 1);
        if (firstText.Length == 0)
        {
            // suffix-range "-n": the last n bytes; "-0" can never be satisfied (§14.1.1).
            if (!TryParseDigits(lastText, out var suffix))
            {
                return full;
            }

            if (suffix == 0)
            {
                return Unsatisfiable;
            }

            if (size == 0)
            {
                return full;
            }

            var start = suffix >= size ? 0 : size - suffix;
            return new ByteRange(ByteRangeKind.Partial, start, size - start);
        }

        if (!TryParseDigits(firstText, out var first))
        {
            return full;
        }

        var last = long.MaxValue;
        if (lastText.Length > 0 && (!TryParseDigits(lastText, out last) || last < first))
        {
            return full;
        }

        if (first >= size)
        {
            return Unsatisfiable;
        }

        var end = Math.Min(last, size - 1);
        return new ByteRange(ByteRangeKind.Partial, first, end - first + 1);
    }

    private static ByteRange Unsatisfiable => new(ByteRangeKind.Unsatisfiable, 0, 0);

    // 1*DIGIT; a number too large for a long is still a number, and means "beyond any blob".
    private static bool TryParseDigits(string text, out long value)
    {
        value = 0;
        if (text.Length == 0)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            value = value > (long.MaxValue - (c - '0')) / 10 ? long.MaxValue : (value * 10) + (c - '0');
        }

        return true;
    }
}
