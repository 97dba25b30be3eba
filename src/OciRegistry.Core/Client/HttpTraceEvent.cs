using System;

namespace OciRegistry.Core.Client;

/// <summary>What kind of step of an HTTP conversation a trace event reports.</summary>
public enum HttpTraceKind
{
    /// <summary>A request is about to go on the wire.</summary>
    Request,

    /// <summary>Response headers arrived.</summary>
    Response,

    /// <summary>A redirect is being followed.</summary>
    Redirect,

    /// <summary>A failed attempt will be retried after a wait.</summary>
    Retry,

    /// <summary>A token is being requested or was reused.</summary>
    Token,

    /// <summary>A request failed without a response.</summary>
    Failure,

    /// <summary>Stored credentials were looked up for a registry (<see cref="HttpTraceEvent.Url"/> is the registry).</summary>
    Credentials,

    /// <summary>The client took another way than the usual one, e.g. the referrers tag schema instead of the referrers API.</summary>
    Fallback,

    /// <summary>
    /// The body of an error response, redacted and on one line (<see cref="HttpTraceEvent.Detail"/>), for <c>-Debug</c>:
    /// the message of the error holds only its first sentence.
    /// </summary>
    ErrorBody,
}

/// <summary>
/// One step of an HTTP conversation, for <c>-Verbose</c>. Built only from redacted URLs and never holding a
/// credential; the core reports it and the host decides how to show it.
/// </summary>
public sealed class HttpTraceEvent
{
    /// <summary>Creates an event.</summary>
    public HttpTraceEvent(HttpTraceKind kind, string method, string url, string? detail = null, int? statusCode = null, TimeSpan? elapsed = null, TimeSpan? delay = null)
    {
        Kind = kind;
        Method = method;
        Url = url;
        Detail = detail;
        StatusCode = statusCode;
        Elapsed = elapsed;
        Delay = delay;
    }

    /// <summary>The kind of step.</summary>
    public HttpTraceKind Kind { get; }

    /// <summary>The HTTP method.</summary>
    public string Method { get; }

    /// <summary>The redacted URL.</summary>
    public string Url { get; }

    /// <summary>Extra words: headers of interest, the reason for a retry.</summary>
    public string? Detail { get; }

    /// <summary>The response status, where there is one.</summary>
    public int? StatusCode { get; }

    /// <summary>Time from request to response headers.</summary>
    public TimeSpan? Elapsed { get; }

    /// <summary>The wait before a retry.</summary>
    public TimeSpan? Delay { get; }

    /// <summary>A one-line description for logs.</summary>
    public override string ToString() => Kind switch
    {
        HttpTraceKind.Request => $"{Method} {Url}{Suffix()}",
        HttpTraceKind.Response => $"{Method} {Url} -> {StatusCode} ({Elapsed?.TotalMilliseconds:0} ms){Suffix()}",
        HttpTraceKind.Retry => $"retrying {Method} {Url} in {Delay?.TotalSeconds:0.0} s{Suffix()}",
        HttpTraceKind.Credentials => $"credentials for {Url}{Suffix()}",
        HttpTraceKind.ErrorBody => $"error body of {Method} {Url} -> {StatusCode}: {Detail}",
        _ => $"{Kind.ToString().ToLowerInvariant()}: {Method} {Url}{Suffix()}",
    };

    private string Suffix() => Detail is null ? string.Empty : " " + Detail;
}
