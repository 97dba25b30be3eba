namespace OciRegistry.Core.Tls;

/// <summary>Why a TLS handshake with a registry failed.</summary>
public enum CertificateProblem
{
    /// <summary>The chain ends at a root neither the system nor the extra certificate authorities trust.</summary>
    Untrusted,

    /// <summary>The certificate names other hosts than the one connected to.</summary>
    NameMismatch,

    /// <summary>The certificate (or one in its chain) is expired or not yet valid.</summary>
    Expired,

    /// <summary>The certificate (or one in its chain) was revoked.</summary>
    Revoked,

    /// <summary>The certificate may not be used for a TLS server, or another chain error.</summary>
    Invalid,

    /// <summary>The registry sent no certificate.</summary>
    Missing,

    /// <summary>The registry's certificate was accepted, then the handshake failed: it wants a client certificate.</summary>
    ClientCertificateRequired,

    /// <summary>The registry refused the client certificate offered.</summary>
    ClientCertificateRefused,
}
