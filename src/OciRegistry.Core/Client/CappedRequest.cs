using System;
using System.Collections.Generic;

namespace OciRegistry.Core.Client;

/// <summary>
/// A GET whose body is read into memory (a manifest, a small blob, a page of a list): what to ask for, the cap
/// (one of <see cref="Limits"/>), and which answers the caller acts on itself instead of failing.
/// </summary>
internal sealed class CappedRequest
{
    /// <summary>Describes the body to read.</summary>
    /// <param name="kind">What the body is, for a body over the cap.</param>
    /// <param name="what">Names the body in errors: "manifest", "tag list of team/app".</param>
    /// <param name="limit">The most bytes to read.</param>
    public CappedRequest(ContentKind kind, string what, long limit)
    {
        Kind = kind;
        What = what;
        Limit = limit;
    }

    /// <summary>What the body is, for <see cref="ContentTooLargeException"/>.</summary>
    public ContentKind Kind { get; }

    /// <summary>Names the body in errors.</summary>
    public string What { get; }

    /// <summary>The most bytes read into memory.</summary>
    public long Limit { get; }

    /// <summary>The media types asked for with <c>Accept</c>, in order; none sends no <c>Accept</c> header.</summary>
    public IReadOnlyList<string> Accept { get; init; } = [];

    /// <summary>
    /// Answers, by status and media type, that the caller handles itself: they come back with
    /// <see cref="CappedResponse.LeftUnread"/> set, neither read nor turned into a <see cref="RegistryResponseException"/>.
    /// Null leaves nothing to the caller: every success is read and every other status is an error.
    /// </summary>
    public Func<int, string?, bool>? LeaveUnread { get; init; }
}
