using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace OciRegistry.Core.Client;

/// <summary>
/// The innermost handler: gives each attempt <paramref name="response"/> to produce response headers, and wraps the
/// body so that a connection silent for <paramref name="idle"/> mid-transfer fails like a reset instead of hanging.
/// </summary>
internal sealed class IdleTimeoutHandler(TimeSpan response, TimeSpan idle) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage answer;
        using (var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timer.CancelAfter(response);
            try
            {
                answer = await base.SendAsync(request, timer.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new IdleTimeoutException("response", response) { WaitedForResponse = true };
            }
        }

        if (idle != Timeout.InfiniteTimeSpan && answer.Content is { } content)
        {
            var body = await content.ReadAsStreamAsync().ConfigureAwait(false);
            var wrapped = new StreamContent(new IdleTimeoutStream(body, idle), 128 * 1024);
            foreach (var header in content.Headers)
            {
                wrapped.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            answer.Content = wrapped;
        }

        return answer;
    }
}
