using System;

namespace OciRegistry.TestRegistry.Http;

/// <summary>A request the server cannot take, with the status that says why (400, 414, 431, 501, 505).</summary>
internal sealed class HttpProtocolException : Exception
{
    public HttpProtocolException(int statusCode, string message)
        : base(message)
    {
        StatusCode = statusCode;
    }

    public int StatusCode { get; }
}
