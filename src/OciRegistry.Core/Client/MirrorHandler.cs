using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace OciRegistry.Core.Client;

/// <summary>
/// Pulls through mirrors first, as docker's <c>registry-mirrors</c> and containers' <c>[[registry.mirror]]</c> do:
/// a manifest or blob read (GET or HEAD) goes to each mirror in order, then to the registry itself. A mirror that
/// fails, is unreachable, lacks the content or answers anything but success is passed over. Each mirror is a
/// client of its own, with its own credentials (looked up for its host, never the registry's) and tokens, so that
/// an Authorization meant for one endpoint never reaches another; it gets no retries, since the next endpoint is
/// the retry. What the response's request names is the endpoint that served.
/// </summary>
/// <remarks>Digest-pinned content is verified above this handler whatever endpoint answered.</remarks>
/// <param name="mirrors">Each mirror's client, and the namespace it serves the registry under (registries.conf's
/// <c>location = "mirror.corp/docker-hub"</c>), empty for none.</param>
/// <param name="trace">Where to say which endpoint served.</param>
internal sealed class MirrorHandler(IReadOnlyList<(RegistryClient Client, string Namespace)> mirrors, Action<HttpTraceEvent>? trace) : DelegatingHandler
{
    private static readonly Regex PullPath = new("^/v2/.+/(manifests|blobs)/[^/]+$", RegexOptions.CultureInvariant);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is not { } url || (request.Method != HttpMethod.Get && request.Method != HttpMethod.Head) || !PullPath.IsMatch(url.AbsolutePath))
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        foreach (var (mirror, space) in mirrors)
        {
            var rest = url.PathAndQuery.Substring("/v2/".Length);
            var target = new Uri(mirror.BaseAddress, "v2/" + (space.Length > 0 ? space + "/" : string.Empty) + rest);
            using var copy = new HttpRequestMessage(request.Method, target);
            foreach (var header in request.Headers)
            {
                if (!string.Equals(header.Key, "Authorization", StringComparison.OrdinalIgnoreCase))
                {
                    copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }
            }

            try
            {
                var response = await mirror.Http.SendAsync(copy, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    trace?.Invoke(new HttpTraceEvent(HttpTraceKind.Fallback, request.Method.Method, UrlRedactor.Redact(url), $"served by the mirror {mirror.Registry}"));
                    return response;
                }

                trace?.Invoke(new HttpTraceEvent(HttpTraceKind.Fallback, request.Method.Method, UrlRedactor.Redact(target), $"the mirror {mirror.Registry} answered {(int)response.StatusCode}; trying the next endpoint", (int)response.StatusCode));
                response.Dispose();
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is HttpRequestException or System.IO.IOException or OciException or OperationCanceledException)
            {
                trace?.Invoke(new HttpTraceEvent(HttpTraceKind.Fallback, request.Method.Method, UrlRedactor.Redact(target), $"the mirror {mirror.Registry} failed ({TextRedactor.Redact(e.Message)}); trying the next endpoint"));
            }
        }

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
