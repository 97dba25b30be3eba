using System;
using System.Net.Http.Headers;

namespace OciRegistry.Core.Client;

/// <summary>What came back for a <see cref="CappedRequest"/>: the status, the headers and the body read under the cap.</summary>
internal sealed class CappedResponse
{
    /// <summary>Records an answer.</summary>
    public CappedResponse(Uri url, int status, HttpResponseHeaders headers, string? mediaType, byte[]? body)
    {
        Url = url;
        Status = status;
        Headers = headers;
        MediaType = mediaType;
        Body = body ?? [];
        LeftUnread = body is null;
    }

    /// <summary>The URL asked for (before redirects): the base a relative <c>Link</c> resolves against.</summary>
    public Uri Url { get; }

    /// <summary>The endpoint that answered (<c>host[:port]</c>): the registry, or the mirror that served.</summary>
    public string? ServedBy { get; init; }

    /// <summary>The HTTP status.</summary>
    public int Status { get; }

    /// <summary>The response headers (<c>Docker-Content-Digest</c>, <c>Link</c>, <c>OCI-Filters-Applied</c>, …).</summary>
    public HttpResponseHeaders Headers { get; }

    /// <summary>The media type of <c>Content-Type</c>, without parameters; null when there is none.</summary>
    public string? MediaType { get; }

    /// <summary>The whole body; empty when <see cref="LeftUnread"/>.</summary>
    public byte[] Body { get; }

    /// <summary>The request's <see cref="CappedRequest.LeaveUnread"/> claimed this answer: the body was not read.</summary>
    public bool LeftUnread { get; }
}
