using System;
using System.Diagnostics;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace OciRegistry.Core.Client;

/// <summary>
/// Reports each request that reaches the wire and its response status, with redacted URLs. It says whether an
/// Authorization header was sent and which range was asked for, never a header's secret value.
/// </summary>
internal sealed class TraceHandler(Action<HttpTraceEvent> trace) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var method = request.Method.Method;
        var url = UrlRedactor.Redact(request.RequestUri);
        var detail = (request.Headers.Authorization is { } auth ? $"[Authorization: {auth.Scheme} …]" : string.Empty) +
            (request.Headers.Range is { } range ? $" [Range: {range}]" : string.Empty);
        trace(new HttpTraceEvent(HttpTraceKind.Request, method, url, detail.Length == 0 ? null : detail.Trim()));
        var clock = Stopwatch.StartNew();
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var length = response.Content?.Headers.ContentLength;
            trace(new HttpTraceEvent(HttpTraceKind.Response, method, url, length is null ? null : $"[{length} bytes]", (int)response.StatusCode, clock.Elapsed));
            return response;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            trace(new HttpTraceEvent(HttpTraceKind.Failure, method, url, $"{e.GetType().Name}: {TextRedactor.Redact(e.Message)}", elapsed: clock.Elapsed));
            throw;
        }
    }
}
