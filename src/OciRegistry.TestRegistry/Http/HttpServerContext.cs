namespace OciRegistry.TestRegistry.Http;

/// <summary>A request and the response to it.</summary>
internal sealed class HttpServerContext
{
    public HttpServerContext(HttpServerRequest request, HttpServerResponse response)
    {
        Request = request;
        Response = response;
    }

    public HttpServerRequest Request { get; }

    public HttpServerResponse Response { get; }
}
