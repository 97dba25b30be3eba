using System;
using System.Globalization;
using System.Linq;
using System.Net.Http.Headers;

namespace OciRegistry.Core.Client;

/// <summary>
/// A registry's pull rate limit as its response headers state it: Docker Hub's <c>ratelimit-limit</c>,
/// <c>ratelimit-remaining</c> (both <c>100;w=21600</c>, see <see cref="RateLimitHeader"/>) and
/// <c>docker-ratelimit-source</c> (the address or account the limit is counted for).
/// </summary>
/// <remarks>https://docs.docker.com/docker-hub/usage/pulls/#view-pull-rate-and-limit.</remarks>
public sealed class RateLimit
{
    /// <summary>The header with the limit.</summary>
    public const string LimitHeader = "ratelimit-limit";

    /// <summary>The header with what is left of it.</summary>
    public const string RemainingHeader = "ratelimit-remaining";

    /// <summary>The header naming who the limit is counted for.</summary>
    public const string SourceHeader = "docker-ratelimit-source";

    /// <summary>Records a rate limit.</summary>
    public RateLimit(int? limit, int? remaining, TimeSpan? window, string? source)
    {
        Limit = limit;
        Remaining = remaining;
        Window = window;
        Source = source;
    }

    /// <summary>How many requests the window allows; null when the registry did not say (or said it unreadably).</summary>
    public int? Limit { get; }

    /// <summary>How many are left in the current window; null when the registry did not say.</summary>
    public int? Remaining { get; }

    /// <summary>The window the limit is counted over (Docker Hub: six hours); null when not stated.</summary>
    public TimeSpan? Window { get; }

    /// <summary>Who the limit is counted for: an IP address for anonymous pulls, an account id otherwise.</summary>
    public string? Source { get; }

    /// <summary>
    /// Reads the rate-limit headers of a response; null when it has none of them. A header present but unreadable
    /// counts as present: its value is then null, and the others are still read.
    /// </summary>
    public static RateLimit? FromHeaders(HttpHeaders headers)
    {
        if (headers is null)
        {
            throw new ArgumentNullException(nameof(headers));
        }

        var limitText = First(headers, LimitHeader);
        var remainingText = First(headers, RemainingHeader);
        var source = First(headers, SourceHeader)?.Trim();
        if (limitText is null && remainingText is null && source is null)
        {
            return null;
        }

        int? limit = RateLimitHeader.TryParse(limitText, out var l, out var limitWindow) ? l : null;
        int? remaining = RateLimitHeader.TryParse(remainingText, out var r, out var remainingWindow) ? r : null;
        return new RateLimit(limit, remaining, limitWindow ?? remainingWindow, string.IsNullOrEmpty(source) ? null : ErrorResponseReader.Excerpt(source!));
    }

    /// <summary>Text such as <c>0 of 100 left (per 6 h)</c>, for messages; only what is known.</summary>
    public override string ToString()
    {
        var text = Remaining is { } left && Limit is { } all ? $"{left} of {all} left"
            : Remaining is { } onlyLeft ? $"{onlyLeft} left"
            : Limit is { } onlyAll ? $"a limit of {onlyAll}"
            : "a rate limit";
        return Window is { } window ? $"{text} (per {Duration(window)})" : text;
    }

    /// <summary>A short duration: <c>45 s</c>, <c>12 min</c>, <c>6 h</c>, <c>1 h 30 min</c>.</summary>
    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.FromMinutes(1))
        {
            return Math.Ceiling(span.TotalSeconds).ToString(CultureInfo.InvariantCulture) + " s";
        }

        if (span < TimeSpan.FromHours(1))
        {
            return Math.Ceiling(span.TotalMinutes).ToString(CultureInfo.InvariantCulture) + " min";
        }

        // Rounded up to the minute first, so that 5 h 59 min 30 s reads 6 h, never 5 h 60 min.
        var total = (long)Math.Ceiling(span.TotalMinutes);
        var hours = total / 60;
        var minutes = total % 60;
        return minutes == 0 ? $"{hours} h" : $"{hours} h {minutes} min";
    }

    private static string? First(HttpHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
