using System;
using System.IO;
using System.Net.Http;
using System.Security.Authentication;
using System.Threading;
using System.Threading.Tasks;

namespace OciRegistry.Core.Tls;

/// <summary>
/// Turns a failed TLS handshake into a <see cref="RegistryCertificateException"/> that says which certificate failed
/// and why, from what <see cref="ServerCertificateCheck"/> recorded on the request; a handshake that failed after
/// the registry's certificate was accepted is the registry asking for a client certificate (or refusing ours).
/// The exception is an <see cref="OciException"/>, so the retry handler does not try again.
/// </summary>
internal sealed class TlsNoteHandler(bool offersClientCertificate) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException && request.RequestUri is { Scheme: "https" } url && Explain(request, e) is { } explained)
        {
            throw new RegistryCertificateException(url.Authority, explained.Problem, explained.Detail, e);
        }
    }

    private ServerCertificateCheck.Refusal? Explain(HttpRequestMessage request, Exception failure)
    {
#pragma warning disable CS0618 // Properties: see ServerCertificateCheck.
        if (request.Properties.TryGetValue(ServerCertificateCheck.RefusalKey, out var refusal) && refusal is ServerCertificateCheck.Refusal r)
        {
            return r;
        }

        var accepted = request.Properties.ContainsKey(ServerCertificateCheck.AcceptedKey);
#pragma warning restore CS0618
        if (accepted ? !IsHandshakeFailure(failure) : !IsClientCertificateAlert(failure))
        {
            return null;
        }

        // In TLS 1.2 the refusal comes before .NET checked the registry's certificate: nothing to say about it then.
        var prefix = accepted ? "the registry's certificate was accepted, then " : string.Empty;
        return offersClientCertificate
            ? new ServerCertificateCheck.Refusal(CertificateProblem.ClientCertificateRefused, $"{prefix}the registry refused the client certificate offered (not issued by a certificate authority it trusts, expired, or not for client authentication)")
            : new ServerCertificateCheck.Refusal(CertificateProblem.ClientCertificateRequired, $"{prefix}the handshake failed: the registry wants a client certificate, and none was offered");
    }

    /// <summary>
    /// Whether the connection broke off with a TLS alert: during the handshake (an <see cref="AuthenticationException"/>),
    /// or, with TLS 1.3, at the first read after it, where the server's refusal of the client's certificate
    /// arrives ("sslv3 alert bad certificate", "tlsv13 alert certificate required" from OpenSSL). A reset
    /// or a closed connection is not one, and stays a transient network failure.
    /// </summary>
    /// <summary>
    /// Whether a handshake broke off with the alert a server sends about the client's certificate (OpenSSL's "sslv3
    /// alert bad certificate", "tlsv13 alert certificate required"). In TLS 1.2 that alert comes before the handshake
    /// ends, so before .NET checked the registry's certificate and <see cref="ServerCertificateCheck.AcceptedKey"/>
    /// could be set; it still speaks of the client's certificate only.
    /// </summary>
    private static bool IsClientCertificateAlert(Exception failure)
    {
        var authentication = false;
        var alert = false;
        for (var e = failure; e is not null; e = e.InnerException)
        {
            authentication |= e is AuthenticationException;
            alert |= e.Message.IndexOf("alert bad certificate", StringComparison.OrdinalIgnoreCase) >= 0 ||
                e.Message.IndexOf("alert certificate required", StringComparison.OrdinalIgnoreCase) >= 0;
        }

        return authentication && alert;
    }

    private static bool IsHandshakeFailure(Exception failure)
    {
        for (var e = failure; e is not null; e = e.InnerException)
        {
            if (e is AuthenticationException || e.Message.IndexOf(" alert ", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return true;
            }
        }

        return false;
    }
}
