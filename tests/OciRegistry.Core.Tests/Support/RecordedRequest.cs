using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace OciRegistry.Core.Tests.Support;

/// <summary>
/// A snapshot of a request as it reached the stub: the handlers above reuse and change request objects (the auth
/// handler sets Authorization on the same message it retries), so the test keeps copies.
/// </summary>
internal sealed class RecordedRequest
{
    public RecordedRequest(HttpRequestMessage request, string? body)
    {
        Method = request.Method;
        Uri = request.RequestUri!;
        Headers = request.Headers.ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
        Authorization = request.Headers.Authorization?.ToString();
        ContentType = request.Content?.Headers.ContentType?.MediaType;
        Body = body;
    }

    public HttpMethod Method { get; }

    public Uri Uri { get; }

    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>The Authorization header as sent ("Bearer t1"), or null.</summary>
    public string? Authorization { get; }

    public string? Body { get; }

    public string? ContentType { get; }

    /// <summary>The decoded query parameters.</summary>
    public IReadOnlyDictionary<string, string> Query =>
        Uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => p.Length > 1 ? Uri.UnescapeDataString(p[1]) : string.Empty, StringComparer.Ordinal);

    public override string ToString() => $"{Method} {Uri}";
}
