using System;
using System.Linq;
using OciRegistry.TestRegistry;

namespace OciRegistry.Output;

/// <summary>
/// One request a test registry (or its CDN origin) handled, from <c>Get-OciTestRegistryRequest</c>: what the client
/// sent and what it got. The Authorization header is only recorded as present and by scheme, never its value.
/// A snapshot: a request still in flight has no <see cref="Duration"/> yet.
/// </summary>
public sealed class OciTestRegistryRequest
{
    internal OciTestRegistryRequest(RequestLogEntry entry)
    {
        Time = entry.Time;
        Origin = entry.Origin.ToString();
        Method = entry.Method;
        Path = entry.Path;
        Query = entry.Query;
        Range = entry.Range;
        ContentRange = entry.ContentRange;
        Accept = entry.Accept;
        HasAuthorization = entry.HasAuthorization;
        AuthorizationScheme = entry.AuthorizationScheme;
        StatusCode = entry.StatusCode;
        BytesSent = entry.BytesSent;
        Faults = [.. entry.Faults.Select(f => f.ToString())];
        Duration = entry.Duration;
        Aborted = entry.Aborted;
    }

    /// <summary>When the request arrived.</summary>
    public DateTimeOffset Time { get; }

    /// <summary>Registry, or Cdn for the origin redirects point to.</summary>
    public string Origin { get; }

    /// <summary>The HTTP method.</summary>
    public string Method { get; }

    /// <summary>The path as sent (percent-encoded), without the query.</summary>
    public string Path { get; }

    /// <summary>The raw query without '?', e.g. the signature of a CDN URL; null when there was none.</summary>
    public string? Query { get; }

    /// <summary>The Range header, e.g. <c>bytes=1048576-</c>.</summary>
    public string? Range { get; }

    /// <summary>The Accept header.</summary>
    public string? Accept { get; }

    /// <summary>The request's Content-Range header (the offset of an upload chunk), if it had one.</summary>
    public string? ContentRange { get; }

    /// <summary>Whether an Authorization header came with the request.</summary>
    public bool HasAuthorization { get; }

    /// <summary>Its scheme (Basic, Bearer); the value is never recorded.</summary>
    public string? AuthorizationScheme { get; }

    /// <summary>The status answered; 0 when the connection was dropped before an answer.</summary>
    public int StatusCode { get; }

    /// <summary>The body bytes sent.</summary>
    public long BytesSent { get; }

    /// <summary>The faults that fired on it (Fail, Redirect, CutBody…).</summary>
    public string[] Faults { get; }

    /// <summary>How long it took; null while still in flight.</summary>
    public TimeSpan? Duration { get; }

    /// <summary>Whether the connection was dropped instead of the response completing.</summary>
    public bool Aborted { get; }

    /// <summary>e.g. <c>GET /v2/samples/hello/blobs/sha256:… -> 206</c>.</summary>
    public override string ToString() => $"{Method} {Path}{(Query is null ? string.Empty : "?" + Query)} -> {StatusCode}";
}
