using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace OciRegistry.Core.Tests.Support;

/// <summary>
/// The network for client tests: answers each request with a function of the request (or from a queue) and records
/// every request, headers included. Like a real handler, it sets <see cref="HttpResponseMessage.RequestMessage"/>.
/// </summary>
internal sealed class StubHandler : HttpMessageHandler
{
    private readonly Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> _respond;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    public StubHandler(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> respond) => _respond = respond;

    public StubHandler(Func<HttpRequestMessage, HttpResponseMessage> respond)
        : this((request, _) => Task.FromResult(respond(request)))
    {
    }

    /// <summary>Every request that reached the stub, in order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>Answers the requests in turn with <paramref name="responses"/>; a request past the end fails the test.</summary>
    public static StubHandler Sequence(params Func<HttpRequestMessage, HttpResponseMessage>[] responses)
    {
        var queue = new ConcurrentQueue<Func<HttpRequestMessage, HttpResponseMessage>>(responses);
        return new StubHandler(request => queue.TryDequeue(out var next)
            ? next(request)
            : throw new InvalidOperationException($"unexpected request {request.Method} {request.RequestUri}"));
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        _requests.Enqueue(new RecordedRequest(request, body));
        var response = await _respond(request, cancellationToken);
        response.RequestMessage ??= request;
        return response;
    }
}
