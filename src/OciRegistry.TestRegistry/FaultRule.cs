using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

namespace OciRegistry.TestRegistry;

/// <summary>
/// One fault a test registry injects: what (<see cref="Kind"/> and its parameters), where (path, method, origin)
/// and how often (<see cref="Count"/>). Add it to <see cref="TestRegistryServer.Faults"/>, at start or while the
/// server runs; the request log names the faults that fired on each request.
/// </summary>
/// <example><code>
/// server.Faults.Add(new FaultRule(FaultKind.Fail) { StatusCode = 429, RetryAfter = TimeSpan.FromSeconds(1), Count = 1 });
/// server.Faults.Add(new FaultRule(FaultKind.CutBody) { PathPattern = "*/blobs/*", Offset = 1024 * 1024 });
/// </code></example>
/// <remarks>
/// Faults act in this order: <see cref="FaultKind.Delay"/>, <see cref="FaultKind.Fail"/>, authentication,
/// <see cref="FaultKind.Redirect"/>, <see cref="FaultKind.IgnoreRange"/>, then the body faults
/// (<see cref="FaultKind.Stall"/>, <see cref="FaultKind.CutBody"/>, <see cref="FaultKind.CorruptByte"/>,
/// <see cref="FaultKind.Trickle"/>), which only touch the body of a successful GET; <see cref="FaultKind.CutUpload"/>
/// acts on an upload's body once its Content-Range has been checked. A rule counts a request only
/// when it actually changed it: a cut at byte 1000 does not count a ranged request starting past it.
/// When several rules of one kind match, the first one added that still has requests left fires.
/// </remarks>
public sealed record FaultRule
{
    /// <summary>Creates a rule of <paramref name="kind"/> for every request; narrow it with the init properties.</summary>
    public FaultRule(FaultKind kind)
    {
        Kind = kind;
    }

    /// <summary>What the fault does.</summary>
    public FaultKind Kind { get; }

    /// <summary>
    /// A wildcard (<c>*</c> any run of characters, <c>?</c> one) matched, case-insensitively, against the whole
    /// request path as sent, e.g. <c>*/blobs/*</c> or <c>/v2/samples/hello/manifests/*</c>. Null: every path.
    /// </summary>
    public string? PathPattern { get; init; }

    /// <summary>A regular expression searched, case-insensitively, in the request path (like PowerShell's <c>-match</c>); instead of <see cref="PathPattern"/>.</summary>
    public string? PathRegex { get; init; }

    /// <summary>The HTTP method (<c>GET</c>, <c>HEAD</c>, <c>POST</c>); null: any.</summary>
    public string? Method { get; init; }

    /// <summary>The listener the fault applies to; null: both.</summary>
    public TestRegistryOrigin? Origin { get; init; }

    /// <summary>How many requests the fault changes before it lies dormant; null: every matching request.</summary>
    public int? Count { get; init; }

    /// <summary>
    /// How many requests the rule would change it lets pass untouched first; <see cref="Count"/> counts from there.
    /// "Fail the second PATCH" is <c>Method = "PATCH", Skip = 1, Count = 1</c>. Not with <see cref="CountEachPath"/>.
    /// </summary>
    public int Skip { get; init; }

    /// <summary>
    /// Counts <see cref="Count"/> for each distinct path: "fail every path once" is <c>Count = 1, CountEachPath = true</c>.
    /// The rule remembers the last 4096 distinct paths it saw (least recently seen forgotten first), so memory stays
    /// bounded however many paths a client walks; a forgotten path is counted afresh when it comes back.
    /// </summary>
    public bool CountEachPath { get; init; }

    /// <summary>The status of a <see cref="FaultKind.Fail"/> (400–599; 503 by default).</summary>
    public int StatusCode { get; init; } = 503;

    /// <summary>The <c>Retry-After</c> a <see cref="FaultKind.Fail"/> sends, in whole seconds (rounded up); null: none.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>
    /// The body a <see cref="FaultKind.Fail"/> sends instead of a spec error list, e.g. an HTML page, plain text or a
    /// storage bucket's XML error: what a hostile or broken server says. Null: a spec error body.
    /// </summary>
    public string? Body { get; init; }

    /// <summary>The Content-Type of <see cref="Body"/>; <c>text/plain</c> by default.</summary>
    public string? ContentType { get; init; }

    /// <summary>
    /// Headers a <see cref="FaultKind.Fail"/> adds to its answer, e.g. a <c>WWW-Authenticate</c> challenge with a 401.
    /// Names are HTTP tokens; values hold no line breaks.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>
    /// Where in the content a body fault acts, counted from the start of the blob or manifest (so a ranged request
    /// that starts past it is left alone; for <see cref="FaultKind.CutUpload"/>, from the start of the upload, so a
    /// chunk that does not reach it is left alone). <see cref="FaultKind.CutBody"/>: drop the connection before this byte
    /// (default: half the content; a ranged request resuming at this very byte is not cut again). <see cref="FaultKind.CorruptByte"/>: flip this byte (default: the middle one).
    /// <see cref="FaultKind.Stall"/>: stop sending before this byte (default: right after the headers).
    /// </summary>
    public long? Offset { get; init; }

    /// <summary>How long a <see cref="FaultKind.Delay"/> waits before answering; one second by default.</summary>
    public TimeSpan Delay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The rate of a <see cref="FaultKind.Trickle"/>; 64 KiB/s by default.</summary>
    public long BytesPerSecond { get; init; } = 64 * 1024;

    /// <summary>Throws <see cref="ArgumentException"/> when the rule cannot work: bad pattern, status, count or parameter.</summary>
    public void Validate()
    {
        if (PathPattern is not null && PathRegex is not null)
        {
            throw new ArgumentException("a fault takes a path wildcard or a path regex, not both");
        }

        if (PathRegex is not null)
        {
            try
            {
                _ = new Regex(PathRegex, RegexOptions.None, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"'{PathRegex}' is not a valid regular expression: {e.Message}", e);
            }
        }

        if (Count is < 1)
        {
            throw new ArgumentException($"the count of a fault must be at least 1 (or null for every request), not {Count}");
        }

        if (Skip < 0)
        {
            throw new ArgumentException($"a fault cannot skip {Skip} requests");
        }

        if (Skip > 0 && CountEachPath)
        {
            throw new ArgumentException("skipping requests counts them all together, not each path separately");
        }

        if (CountEachPath && Count is null)
        {
            throw new ArgumentException("counting each path separately needs a count");
        }

        if (Headers is not null)
        {
            foreach (var header in Headers)
            {
                if (header.Key.Length == 0 || !header.Key.All(IsTokenChar))
                {
                    throw new ArgumentException($"'{header.Key}' is not a header name");
                }

                if (header.Value is null || header.Value.IndexOfAny(['\r', '\n', '\0']) >= 0)
                {
                    throw new ArgumentException($"the value of header '{header.Key}' must be one line of text");
                }
            }
        }

        string? problem = Kind switch
        {
            FaultKind.Fail when StatusCode is < 400 or > 599 => $"a failure needs an error status (400-599), not {StatusCode}",
            FaultKind.Fail when RetryAfter < TimeSpan.Zero => "Retry-After cannot be negative",
            not FaultKind.Fail when Body is not null || ContentType is not null || Headers is not null => "only a failure sends a body or headers of its own",
            FaultKind.Fail when ContentType is not null && Body is null => "a content type needs a body",
            FaultKind.Delay when Delay < TimeSpan.Zero => "a delay cannot be negative",
            FaultKind.Trickle when BytesPerSecond < 1 => "a trickle needs at least 1 byte per second",
            FaultKind.CutBody or FaultKind.CorruptByte or FaultKind.Stall or FaultKind.CutUpload when Offset < 0 => "an offset cannot be negative",
            _ when !Enum.IsDefined(typeof(FaultKind), Kind) => $"{Kind} is not a fault kind",
            _ => null,
        };
        if (problem is not null)
        {
            throw new ArgumentException(problem);
        }
    }

    // RFC 9110 §5.6.2.
    private static bool IsTokenChar(char ch) =>
        ch is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' || "!#$%&'*+-.^_`|~".IndexOf(ch) >= 0;

    /// <summary>The matcher for <see cref="PathPattern"/> or <see cref="PathRegex"/>; null for every path.</summary>
    internal Regex? CreatePathMatcher()
    {
        const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;
        if (PathRegex is not null)
        {
            return new Regex(PathRegex, Options, TimeSpan.FromSeconds(1));
        }

        if (PathPattern is null)
        {
            return null;
        }

        var regex = "^" + Regex.Escape(PathPattern).Replace(@"\*", ".*").Replace(@"\?", ".") + "$";
        return new Regex(regex, Options | RegexOptions.Singleline, TimeSpan.FromSeconds(1));
    }

    /// <summary>A one-line description, e.g. <c>Fail 503 on */blobs/* (first 1 per path)</c>.</summary>
    public override string ToString()
    {
        var what = Kind switch
        {
            FaultKind.Fail => $"Fail {StatusCode}" + (RetryAfter is { } wait ? $" (Retry-After {RetryAfterSeconds(wait)} s)" : string.Empty) +
                (Body is null ? string.Empty : $" with a {Body.Length}-character body") +
                (Headers is { Count: > 0 } extra ? " and " + string.Join(", ", extra.Keys) : string.Empty),
            FaultKind.Delay => $"Delay {Delay.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s",
            FaultKind.Trickle => $"Trickle {BytesPerSecond} B/s",
            FaultKind.CutBody => "CutBody " + (Offset is { } cut ? $"at byte {cut}" : "halfway"),
            FaultKind.CutUpload => "CutUpload " + (Offset is { } upload ? $"at byte {upload}" : "halfway through a chunk"),
            FaultKind.CorruptByte => "CorruptByte " + (Offset is { } flip ? $"at byte {flip}" : "in the middle"),
            FaultKind.Stall => "Stall" + (Offset is { } stall ? $" at byte {stall}" : " after the headers"),
            _ => Kind.ToString(),
        };
        var scope = new List<string>();
        if (Method is not null)
        {
            scope.Add(Method.ToUpperInvariant());
        }

        if ((PathPattern ?? PathRegex) is { } path)
        {
            scope.Add(PathRegex is null ? path : "/" + path + "/");
        }

        var notes = new List<string>();
        if (Origin is { } origin)
        {
            notes.Add(origin == TestRegistryOrigin.Cdn ? "CDN only" : "registry only");
        }

        if (Skip > 0)
        {
            notes.Add($"after {Skip}");
        }

        if (Count is { } count)
        {
            notes.Add($"first {count}{(CountEachPath ? " per path" : string.Empty)}");
        }

        return what + (scope.Count > 0 ? " on " + string.Join(" ", scope) : string.Empty) + (notes.Count > 0 ? " (" + string.Join(", ", notes) + ")" : string.Empty);
    }

    /// <summary>Retry-After carries whole seconds (RFC 9110 §10.2.3); a fraction rounds up so the client never comes back early.</summary>
    internal static long RetryAfterSeconds(TimeSpan wait) => (long)Math.Ceiling(wait.TotalSeconds);
}
