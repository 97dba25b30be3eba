using System.IO;
using System.Linq;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;

namespace OciRegistry.TestRegistry.Tls;

/// <summary>
/// The server side of TLS for one listener: an <see cref="SslStream"/> over each accepted connection, with the test
/// registry's certificate and, when <see cref="RequireClientCertificate"/>, a client certificate that must chain to
/// the registry's own authority. SslStream works on the socket server on .NET Framework 4.7.2 and .NET, on Windows
/// (SChannel), Linux (OpenSSL) and macOS alike, where HttpListener could serve TLS only through http.sys on Windows.
/// A registry that requires client certificates speaks TLS 1.2 only, through <see cref="ClientCertificateGate"/>.
/// </summary>
internal sealed class ServerTls(TestRegistryCertificates certificates, bool requireClientCertificate)
{
    private const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    /// <summary>Whether clients must present a certificate issued by the registry's authority.</summary>
    public bool RequireClientCertificate => requireClientCertificate;

    /// <summary>
    /// Runs the handshake on <paramref name="network"/> and returns the encrypted stream, which owns it. The caller
    /// bounds the time (closing the socket fails the handshake): netstandard2.0's overload takes no token.
    /// </summary>
    /// <exception cref="AuthenticationException">The handshake failed, or the client's certificate was refused.</exception>
    /// <exception cref="IOException">The connection broke during the handshake.</exception>
    public async Task<Stream> AuthenticateAsync(Stream network)
    {
        // SslProtocols.None: what the operating system allows (TLS 1.2 and 1.3 today), on .NET Framework 4.7+ too.
        // Requiring a client certificate, TLS 1.2 behind the gate that answers a refusal with an alert.
        var transport = requireClientCertificate ? new ClientCertificateGate(network, IssuedByAuthority) : network;
        var protocols = requireClientCertificate ? SslProtocols.Tls12 : SslProtocols.None;
        var tls = new SslStream(transport, leaveInnerStreamOpen: false, ValidateClient);
        try
        {
            await tls.AuthenticateAsServerAsync(certificates.ServerCertificate, requireClientCertificate, protocols, checkCertificateRevocation: false).ConfigureAwait(false);
            return tls;
        }
        catch
        {
            tls.Dispose();
            throw;
        }
    }

    private bool ValidateClient(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) =>
        !requireClientCertificate || (certificate is not null && IssuedByAuthority(certificate));

    /// <summary>
    /// Whether <paramref name="certificate"/> chains to the registry's authority and may authenticate a client. The
    /// chain is built by hand with the authority in the extra store, as the client's ServerCertificateCheck does, so
    /// that no system root (and no other authority) can vouch for a client, on .NET Framework as on .NET.
    /// </summary>
    internal bool IssuedByAuthority(X509Certificate certificate)
    {
        using var presented = new X509Certificate2(certificate);
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(ClientAuthentication));
        chain.ChainPolicy.ExtraStore.Add(certificates.Authority);
        chain.Build(presented);
        var elements = chain.ChainElements;
        if (elements.Count < 2 || !elements[elements.Count - 1].Certificate.RawData.SequenceEqual(certificates.Authority.RawData))
        {
            return false;
        }

        return chain.ChainStatus.All(s => s.Status is X509ChainStatusFlags.NoError or X509ChainStatusFlags.UntrustedRoot);
    }
}
