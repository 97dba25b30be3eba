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
/// <c>/v2/</c>; its answer is remembered for the process for a few minutes. A certificate the check refuses is
/// reported as the certificate error it is and never downgraded to HTTP; only a server that does not speak TLS
/// at all (its answer is not a TLS record) gets HTTP.
/// </summary>
internal sealed class LoopbackSchemeHandler(HttpMessageInvoker probe, TimeProvider time) : DelegatingHandler
{
    private static readonly ConcurrentDictionary<string, (bool Tls, DateTimeOffset Until)> Known = new(StringComparer.OrdinalIgnoreCase);
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
        if (Known.TryGetValue(url.Authority, out var known) && known.Until > now)
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

            // The TLS attempt failed, but a TLS server refusing this client (a client certificate it requires, a
            // reset under load) fails it too: only a server that answers plain HTTP in plain HTTP gets HTTP.
            tls = !await AnswersPlainHttpAsync(url, timer.Token).ConfigureAwait(false);
        }

        Known[url.Authority] = (tls, now + Remember);
        return tls;
    }

    private static async Task<bool> AnswersPlainHttpAsync(Uri url, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient(url.HostNameType == UriHostNameType.IPv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork);
            using (cancellationToken.Register(client.Dispose))
            {
                await client.ConnectAsync(url.DnsSafeHost, url.Port).ConfigureAwait(false);
                var stream = client.GetStream();
                var request = System.Text.Encoding.ASCII.GetBytes($"GET /v2/ HTTP/1.1\r\nHost: {url.Authority}\r\nConnection: close\r\n\r\n");
                await stream.WriteAsync(request, 0, request.Length, cancellationToken).ConfigureAwait(false);
                var head = new byte[5];
                var read = 0;
                while (read < head.Length)
                {
                    var n = await stream.ReadAsync(head, read, head.Length - read, cancellationToken).ConfigureAwait(false);
                    if (n == 0)
                    {
                        break;
                    }

                    read += n;
                }

                return read == head.Length && System.Text.Encoding.ASCII.GetString(head) == "HTTP/";
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            return false;
        }
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
