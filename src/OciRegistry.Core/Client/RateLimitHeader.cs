using System;
using System.Globalization;

namespace OciRegistry.Core.Client;

/// <summary>
/// Parses the value of a <c>RateLimit-Limit</c> or <c>RateLimit-Remaining</c> header as Docker Hub sends them,
/// <c>100;w=21600</c>: a count, then optional parameters of which <c>w</c> is the window in seconds. Pure; never throws.
/// </summary>
/// <remarks>
/// https://docs.docker.com/docker-hub/usage/pulls/ (the headers Docker Hub sends on a manifest request) and
/// https://datatracker.ietf.org/doc/html/draft-ietf-httpapi-ratelimit-headers-03#section-5 (the form they follow):
/// <code>
/// value          = quota-unit *( "," quota-policy )   ; the draft lists the policies after the count
/// quota-policy   = quota-unit *( OWS ";" OWS param )
/// quota-unit     = 1*DIGIT
/// param          = token "=" ( token / quoted-string ) ; "w" is the window in seconds
/// </code>
/// The first element is the count; its <c>w</c>, or else the <c>w</c> of the first later policy with the same
/// count, is the window. Anything else (a negative or fractional count, one too large for an int, an empty value,
/// a malformed <c>w</c>) makes the whole value unreadable: a half-understood limit would mislead.
/// </remarks>
public static class RateLimitHeader
{
    /// <summary>Reads <paramref name="value"/>; false when it is absent or malformed.</summary>
    /// <param name="value">The header's value, e.g. <c>100;w=21600</c>.</param>
    /// <param name="count">The count (the limit, or what remains of it).</param>
    /// <param name="window">The window the count is for; null when the value names none.</param>
    public static bool TryParse(string? value, out int count, out TimeSpan? window)
    {
        count = 0;
        window = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        var elements = value!.Split(',');
        int? first = null;
        TimeSpan? firstWindow = null;
        TimeSpan? matchingWindow = null;
        foreach (var element in elements)
        {
            if (!TryParseElement(element, out var elementCount, out var elementWindow))
            {
                return false;
            }

            if (first is null)
            {
                first = elementCount;
                firstWindow = elementWindow;
            }
            else if (matchingWindow is null && elementCount == first && elementWindow is not null)
            {
                matchingWindow = elementWindow;
            }
        }

        count = first!.Value;
        window = firstWindow ?? matchingWindow;
        return true;
    }

    private static bool TryParseElement(string element, out int count, out TimeSpan? window)
    {
        count = 0;
        window = null;
        var parts = element.Split(';');
        if (!TryParseCount(parts[0].Trim(), out count))
        {
            return false;
        }

        for (var i = 1; i < parts.Length; i++)
        {
            var parameter = parts[i].Trim();
            var equals = parameter.IndexOf('=');
            if (equals <= 0)
            {
                return false;
            }

            var name = parameter.Substring(0, equals).Trim();
            var text = parameter.Substring(equals + 1).Trim();
            if (string.Equals(name, "w", StringComparison.OrdinalIgnoreCase))
            {
                if (window is not null || !TryParseCount(text, out var seconds))
                {
                    return false;
                }

                window = TimeSpan.FromSeconds(seconds);
            }
            else if (text.Length == 0)
            {
                return false;
            }
        }

        return true;
    }

    // 1*DIGIT, nothing else: no sign, no fraction, no white space inside, and within an int.
    private static bool TryParseCount(string text, out int value)
    {
        value = 0;
        if (text.Length == 0 || text.Length > 10)
        {
            return false;
        }

        foreach (var ch in text)
        {
            if (ch is < '0' or > '9')
            {
                return false;
            }
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
