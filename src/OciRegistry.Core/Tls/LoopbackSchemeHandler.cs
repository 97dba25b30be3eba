using System;
using System.Collections.Concurrent;
using System.IO;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace OciRegistry.Core.Tls;

/// <summary>
/// HTTPS first for this machine's addresses, as docker and go-containerregistry do: a TLS registry reached through
/// <c>localhost</c> (a kubectl port-forward, an SSH tunnel) is spoken to over TLS, a plain one (the test registry,
/// a local docker-registry) over HTTP. The first request to an endpoint is preceded by a TLS attempt on
/// <c>/v2/</c>; its answer is remembered by this client (one command) for a few minutes, never by the process:
/// a port on this machine is soon another server's (a stopped registry's port handed to the next one started), and
/// what was learnt of the old one must not send the new one plain HTTP. A certificate the check refuses is
/// reported as the certificate error it is and never downgraded to HTTP; only a server that does not speak TLS
/// at all (its answer is not a TLS record) gets HTTP.
/// </summary>
internal sealed class LoopbackSchemeHandler(HttpMessageInvoker probe, TimeProvider time) : DelegatingHandler
{
    private readonly ConcurrentDictionary<string, (bool Tls, DateTimeOffset Until)> _known = new(StringComparer.OrdinalIgnoreCase);
    private static readonly TimeSpan Remember = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { Scheme: "http", IsLoopback: true } url && await SpeaksTlsAsync(url, cancellationToken).ConfigureAwait(false))
        {
            request.RequestUri = new UriBuilder(url) { Scheme = Uri.UriSchemeHttps, Port = url.Port }.Uri;
        }

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> SpeaksTlsAsync(Uri url, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_known.TryGetValue(url.Authority, out var known) && known.Until > now)
        {
            return known.Tls;
        }

        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(ProbeTimeout);
        using var ping = new HttpRequestMessage(HttpMethod.Get, new UriBuilder(url) { Scheme = Uri.UriSchemeHttps, Port = url.Port, Path = "/v2/", Query = string.Empty }.Uri);
        bool tls;
        try
        {
            using var answer = await probe.SendAsync(ping, timer.Token).ConfigureAwait(false);
            tls = true;
        }
        catch (RegistryCertificateException)
        {
            // TLS, with a certificate that is not trusted: say so, never fall back to plain HTTP.
            throw;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is HttpRequestException or IOException or OperationCanceledException)
        {
            if (Refused(e) || e is OperationCanceledException)
            {
                // Nothing listens, or it did not answer: nothing learnt, and the request itself will say what happens.
                // An endpoint known to speak TLS stays on TLS: a probe that timed out must not send a token in clear.
                return known.Tls;
            }

            tls = false;
        }

        _known[url.Authority] = (tls, now + Remember);
        return tls;
    }

    private static bool Refused(Exception failure)
    {
        for (var e = failure; e is not null; e = e.InnerException)
        {
            if (e is SocketException)
            {
                return true;
            }
        }

        return false;
    }
}
