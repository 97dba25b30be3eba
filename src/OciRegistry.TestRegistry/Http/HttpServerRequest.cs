using System.Collections.Specialized;
using System.IO;

namespace OciRegistry.TestRegistry.Http;

/// <summary>One request as the registry reads it: method, raw target, headers and a body stream that ends where the body ends.</summary>
internal sealed class HttpServerRequest
{
    private readonly RequestHead _head;
    private readonly RequestBodyStream _body;

    public HttpServerRequest(RequestHead head, RequestBodyStream body)
    {
        _head = head;
        _body = body;
    }

    public string HttpMethod => _head.Method;

    /// <summary>The request target as sent: path and query, still percent-encoded.</summary>
    public string RawUrl => _head.Target;

    public NameValueCollection Headers => _head.Headers;

    /// <summary>The declared body length; -1 for a chunked body, 0 when there is none.</summary>
    public long ContentLength64 => _head.ContentLength;

    public string? ContentType => _head.Headers["Content-Type"];

    public Stream InputStream => _body;

    internal RequestBodyStream Body => _body;

    internal RequestHead Head => _head;
}
