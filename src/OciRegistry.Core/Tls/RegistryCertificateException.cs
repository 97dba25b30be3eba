using System;

namespace OciRegistry.Core.Tls;

/// <summary>
/// The TLS handshake with a registry failed for a reason about certificates: the registry's is not trusted, names
/// another host, is outside its dates or was revoked, or the registry wants a client certificate. Another attempt
/// cannot mend it, so it is never retried.
/// </summary>
public sealed class RegistryCertificateException : OciException
{
    /// <summary>Creates the exception.</summary>
    public RegistryCertificateException(string host, CertificateProblem problem, string detail, Exception? innerException)
        : base($"The TLS connection to {host} failed: {detail}", innerException)
    {
        Host = host;
        Problem = problem;
        Detail = detail;
    }

    /// <summary>The registry's host (and port).</summary>
    public string Host { get; }

    /// <summary>What was wrong.</summary>
    public CertificateProblem Problem { get; }

    /// <summary>The certificate and the reason, in words.</summary>
    public string Detail { get; }
}
