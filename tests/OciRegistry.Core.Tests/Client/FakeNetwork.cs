using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.Client;

namespace OciRegistry.Core.Tests.Client;

/// <summary>
/// The network under a client in these tests: answers each request with a function of it and records what was
/// asked (method, URL, Accept and Authorization), so tests assert on both sides of the conversation.
/// </summary>
internal sealed class FakeNetwork(Func<HttpRequestMessage, HttpResponseMessage> respond) : HttpMessageHandler
{
    public const string Registry = "registry.example";

    private readonly ConcurrentQueue<Seen> _requests = new();

    public IReadOnlyList<Seen> Requests => [.. _requests];

    /// <summary>A client over this network: HTTPS, no stored credentials, an instant clock, no retries.</summary>
    public RegistryClient Client(Action<ClientOptions>? configure = null)
    {
        var options = new ClientOptions
        {
            PrimaryHandler = this,
            UseDockerConfig = false,
            TimeProvider = new InstantTimeProvider(),
            Retry = new RetryOptions { MaxRetries = 0 },
        };
        configure?.Invoke(options);
        return new RegistryClient(Registry, options);
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        _requests.Enqueue(new Seen(request.Method.Method, request.RequestUri!, string.Join(", ", request.Headers.Accept), request.Headers.Authorization?.ToString()));
        var response = respond(request);
        response.RequestMessage ??= request;
        return Task.FromResult(response);
    }

    public static HttpResponseMessage Json(string json, string contentType = "application/json", int status = 200) =>
        Bytes(Encoding.UTF8.GetBytes(json), contentType, status);

    public static HttpResponseMessage Bytes(byte[] body, string contentType = "application/octet-stream", int status = 200)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        content.Headers.ContentLength = body.Length;
        return new HttpResponseMessage((HttpStatusCode)status) { Content = content };
    }

    public static HttpResponseMessage Error(int status, string code, string message = "") =>
        Json($$"""{"errors":[{"code":"{{code}}","message":"{{message}}"}]}""", status: status);

    public static HttpResponseMessage Text(int status, string text) => Bytes(Encoding.UTF8.GetBytes(text), "text/plain", status);

    internal sealed record Seen(string Method, Uri Uri, string Accept, string? Authorization)
    {
        public string PathAndQuery => Uri.PathAndQuery;
    }
}

internal static class ResponseExtensions
{
    public static HttpResponseMessage With(this HttpResponseMessage response, string header, string value)
    {
        response.Headers.TryAddWithoutValidation(header, value);
        return response;
    }
}
