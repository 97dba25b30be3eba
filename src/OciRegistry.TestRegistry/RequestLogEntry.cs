using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Threading;
using OciRegistry.TestRegistry.Http;

namespace OciRegistry.TestRegistry;

/// <summary>
/// One request a test registry handled, as tests assert on it: what the client asked for, which headers it sent
/// (the Authorization header only as present or not and its scheme, never its value), and what it got.
/// </summary>
/// <remarks>
/// An entry joins <see cref="TestRegistryServer.Requests"/> when its response starts, before the first header
/// goes out, so a client that has seen the response can always find it. <see cref="BytesSent"/> grows while the
/// body is sent; <see cref="Duration"/> is set when the exchange ends. The log keeps at most the first
/// <see cref="MaxFieldLength"/> characters of the path, query and headers it records, so a request with a huge URL
/// costs the log a bounded amount whatever the transport's own caps are.
/// </remarks>
public sealed class RequestLogEntry
{
    /// <summary>How many characters of the path, the query, Range, Content-Range and Accept an entry keeps; the rest is cut off.</summary>
    public const int MaxFieldLength = 2048;

    private readonly object _gate = new();
    private readonly List<FaultKind> _faults = [];
    private long _bytesSent;
    private int _statusCode;
    private TimeSpan? _duration;
    private bool _aborted;
    private int _published;

    internal RequestLogEntry(DateTimeOffset time, TestRegistryOrigin origin, HttpServerRequest request)
    {
        Time = time;
        Origin = origin;
        Method = request.HttpMethod;
        var target = request.RawUrl;
        RequestPath = RegistryRoute.PathOf(target);
        var query = target.IndexOf('?');
        RequestQuery = query < 0 ? null : target.Substring(query + 1);
        Path = Cap(RequestPath)!;
        Query = Cap(RequestQuery);
        Range = Cap(request.Headers["Range"]);
        ContentRange = Cap(request.Headers["Content-Range"]);
        Accept = Cap(request.Headers["Accept"]);
        var authorization = request.Headers["Authorization"];
        HasAuthorization = authorization is not null;
        if (authorization is not null)
        {
            var space = authorization.Trim().IndexOf(' ');
            AuthorizationScheme = Cap(space < 0 ? authorization.Trim() : authorization.Trim().Substring(0, space));
        }
    }

    /// <summary>When the request arrived.</summary>
    public DateTimeOffset Time { get; }

    /// <summary>The listener that handled it: the registry or its CDN origin.</summary>
    public TestRegistryOrigin Origin { get; }

    /// <summary>The HTTP method.</summary>
    public string Method { get; }

    /// <summary>The path as sent, still percent-encoded, without the query.</summary>
    public string Path { get; }

    /// <summary>The query as sent, without the <c>?</c>; null when there was none. Not redacted: this is the test's own server.</summary>
    public string? Query { get; }

    /// <summary>The <c>Range</c> header, e.g. <c>bytes=1048576-</c>; null when absent.</summary>
    public string? Range { get; }

    /// <summary>The <c>Content-Range</c> header of an upload chunk, e.g. <c>16777216-33554431</c>; null when absent.</summary>
    public string? ContentRange { get; }

    /// <summary>The <c>Accept</c> header; null when absent.</summary>
    public string? Accept { get; }

    /// <summary>Whether the request carried an <c>Authorization</c> header.</summary>
    public bool HasAuthorization { get; }

    /// <summary>The scheme of the <c>Authorization</c> header (<c>Basic</c>, <c>Bearer</c>); its value is never kept.</summary>
    public string? AuthorizationScheme { get; }

    /// <summary>The response status; 0 when the connection was dropped before any answer.</summary>
    public int StatusCode => Volatile.Read(ref _statusCode);

    /// <summary>How many body bytes were handed to the connection.</summary>
    public long BytesSent => Interlocked.Read(ref _bytesSent);

    /// <summary>The faults that fired on this request, in the order they acted.</summary>
    public IReadOnlyList<FaultKind> Faults
    {
        get
        {
            lock (_gate)
            {
                return [.. _faults];
            }
        }
    }

    /// <summary>How long the exchange took; null while it is still going on.</summary>
    public TimeSpan? Duration
    {
        get
        {
            lock (_gate)
            {
                return _duration;
            }
        }
    }

    /// <summary>Whether the connection was dropped instead of the response completing.</summary>
    public bool Aborted
    {
        get
        {
            lock (_gate)
            {
                return _aborted;
            }
        }
    }

    /// <summary>A line for logs and test messages, e.g. <c>GET /v2/a/blobs/sha256:… -> 206 (1048576 bytes) [CutBody]</c>.</summary>
    public override string ToString()
    {
        var faults = Faults;
        return string.Format(
            CultureInfo.InvariantCulture,
            "{0} {1} {2}{3}{4} -> {5} ({6} bytes){7}{8}",
            Origin == TestRegistryOrigin.Cdn ? "CDN" : "registry",
            Method,
            Path,
            Query is null ? string.Empty : "?" + Query,
            Range is null ? string.Empty : " Range: " + Range,
            StatusCode,
            BytesSent,
            Aborted ? " aborted" : string.Empty,
            faults.Count == 0 ? string.Empty : " [" + string.Join(", ", faults) + "]");
    }

    /// <summary>The whole path, for routing and fault matching while the exchange lasts; the log keeps <see cref="Path"/>.</summary>
    internal string RequestPath { get; private set; }

    /// <summary>The whole query, for the same purpose as <see cref="RequestPath"/>.</summary>
    internal string? RequestQuery { get; private set; }

    /// <summary>Roughly what the entry costs the log, in characters of text it holds.</summary>
    internal int TextLength => Path.Length + (Query?.Length ?? 0) + (Range?.Length ?? 0) + (Accept?.Length ?? 0) + Method.Length;

    internal void SetStatus(int status) => Volatile.Write(ref _statusCode, status);

    internal void AddBytes(long count) => Interlocked.Add(ref _bytesSent, count);

    internal void AddFault(FaultKind kind)
    {
        lock (_gate)
        {
            _faults.Add(kind);
        }
    }

    internal void MarkAborted()
    {
        lock (_gate)
        {
            _aborted = true;
        }
    }

    /// <summary>True the first time only: an entry joins the log once.</summary>
    internal bool TryMarkPublished() => Interlocked.Exchange(ref _published, 1) == 0;

    internal void Complete(TimeSpan duration)
    {
        lock (_gate)
        {
            _duration ??= duration;
        }

        // The exchange is over: only the capped copies stay in memory.
        RequestPath = Path;
        RequestQuery = Query;
    }

    private static string? Cap(string? value) =>
        value is null || value.Length <= MaxFieldLength ? value : value.Substring(0, MaxFieldLength);
}
