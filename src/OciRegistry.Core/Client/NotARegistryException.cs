using System;

namespace OciRegistry.Core.Client;

/// <summary>
/// A server answered, but not with the registry API: a web site, a login page or a proxy's error page sent HTML
/// where a registry sends JSON, and <c>GET /v2/</c> did not answer as a registry does.
/// </summary>
/// <remarks>https://github.com/opencontainers/distribution-spec/blob/main/spec.md#determining-support (end-1).</remarks>
public sealed class NotARegistryException : OciException
{
    /// <summary>Creates the exception; <paramref name="url"/> is redacted and <paramref name="excerpt"/> already an excerpt.</summary>
    public NotARegistryException(string url, int status, string? mediaType, string? excerpt)
        : base($"{url} answered {status} with {mediaType ?? "no content type"}, not with the registry API (GET /v2/ does not answer as a registry)"
            + (excerpt is { Length: > 0 } ? $"; it began: \"{excerpt}\"" : string.Empty))
    {
        Url = url;
        StatusCode = status;
        MediaType = mediaType;
        Excerpt = excerpt;
    }

    /// <summary>The request's URL, redacted.</summary>
    public string Url { get; }

    /// <summary>The HTTP status of the answer.</summary>
    public int StatusCode { get; }

    /// <summary>The answer's media type.</summary>
    public string? MediaType { get; }

    /// <summary>The first words of the answer, redacted, without markup.</summary>
    public string? Excerpt { get; }
}
