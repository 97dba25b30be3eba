using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace OciRegistry.Core.Client;

/// <summary>
/// The innermost handler: gives each attempt the idle time to produce response headers, and wraps the body so
/// that a connection gone silent mid-transfer fails like a reset instead of hanging forever.
/// </summary>
internal sealed class IdleTimeoutHandler(TimeSpan idle) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        using (var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timer.CancelAfter(idle);
            try
            {
                response = await base.SendAsync(request, timer.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new IdleTimeoutException("response", idle);
            }
        }

        if (response.Content is { } content)
        {
            var body = await content.ReadAsStreamAsync().ConfigureAwait(false);
            var wrapped = new StreamContent(new IdleTimeoutStream(body, idle), 128 * 1024);
            foreach (var header in content.Headers)
            {
                wrapped.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            response.Content = wrapped;
        }

        return response;
    }
}
