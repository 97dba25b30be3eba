using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace OciRegistry.Core.Client;

/// <summary>
/// Follows redirects itself so that <c>Authorization</c> is re-attached only to the origin it was meant for
/// (registries redirect blob downloads to CDNs holding pre-signed URLs), and refuses a downgrade from HTTPS to
/// HTTP. RFC 9110 §15.4: 303 turns into GET; 301, 302, 307 and 308 keep the method of a GET or HEAD.
/// </summary>
internal sealed class RedirectHandler(Action<HttpTraceEvent>? trace) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var original = request.RequestUri!;
        var current = request;
        for (var hop = 0; ; hop++)
        {
            var response = await base.SendAsync(current, cancellationToken).ConfigureAwait(false);
            if (!IsRedirect((int)response.StatusCode) || response.Headers.Location is null)
            {
                return response;
            }

            var from = current.RequestUri!;
            var target = response.Headers.Location.IsAbsoluteUri ? response.Headers.Location : new Uri(from, response.Headers.Location);
            response.Dispose();
            if (current != request)
            {
                current.Dispose();
            }

            if (hop >= Limits.MaxRedirects)
            {
                throw new OciException($"{request.Method} {UrlRedactor.Redact(original)} was redirected more than {Limits.MaxRedirects} times");
            }

            if (target.Scheme != Uri.UriSchemeHttp && target.Scheme != Uri.UriSchemeHttps)
            {
                throw new OciException($"refusing a redirect from {UrlRedactor.Redact(from)} to a '{target.Scheme}' URL");
            }

            if (from.Scheme == Uri.UriSchemeHttps && target.Scheme == Uri.UriSchemeHttp)
            {
                throw new OciException($"refusing a redirect from HTTPS to plain HTTP: {UrlRedactor.Redact(from)} -> {UrlRedactor.Redact(target)}");
            }

            current = Follow(request, target, (int)response.StatusCode, SameOrigin(original, target));
            trace?.Invoke(new HttpTraceEvent(HttpTraceKind.Redirect, current.Method.Method, UrlRedactor.Redact(target),
                current.Headers.Authorization is null && request.Headers.Authorization is not null ? "(Authorization not forwarded to another origin)" : null));
        }
    }

    internal static bool IsRedirect(int status) => status is 301 or 302 or 303 or 307 or 308;

    internal static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase) &&
        string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) &&
        a.Port == b.Port;

    private static HttpRequestMessage Follow(HttpRequestMessage original, Uri target, int status, bool keepAuthorization)
    {
        var method = status == 303 && original.Method != HttpMethod.Head ? HttpMethod.Get : original.Method;
        var next = new HttpRequestMessage(method, target) { Version = original.Version };
        foreach (var header in original.Headers)
        {
            if (header.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase) && !keepAuthorization)
            {
                continue;
            }

            if (header.Key.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            next.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        return next;
    }
}
