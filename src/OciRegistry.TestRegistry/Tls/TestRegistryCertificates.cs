using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace OciRegistry.TestRegistry.Tls;

/// <summary>
/// A throwaway certificate authority and the two certificates it signs for one TLS test registry: the server's (for
/// localhost, 127.0.0.1, ::1 and the listening address) and a client certificate. The authority's key is discarded
/// once both are signed, so nothing else can ever chain to it. Files for tools go to a temporary folder that
/// <see cref="Dispose"/> deletes: <c>ca.crt</c>, <c>client.cert</c> with <c>client.key</c> (PEM, PKCS #1) and
/// <c>client.pfx</c> (no password), the names docker's and skopeo's certificate folders use.
/// </summary>
/// <remarks>
/// RSA 2048, SHA-256, valid from an hour ago (clocks differ) for seven days. The certificates with keys are exported
/// to PKCS #12 and imported again (exportable, not persisted): Windows' TLS stack (SChannel) cannot use the
/// ephemeral key CertificateRequest attaches. On Windows that import keeps the key in a temporary per-user key
/// container, which .NET deletes when the certificate is disposed; nothing is added to a certificate store.
/// </remarks>
public sealed class TestRegistryCertificates : IDisposable
{
    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";
    private const int KeySize = 2048;

    private TestRegistryCertificates(X509Certificate2 authority, X509Certificate2 server, X509Certificate2 client, string folder)
    {
        Authority = authority;
        ServerCertificate = server;
        ClientCertificate = client;
        Folder = folder;
    }

    /// <summary>The certificate authority (without its key): what a client trusts to reach the registry.</summary>
    public X509Certificate2 Authority { get; }

    /// <summary>The authority as a PEM file, <c>ca.crt</c> in <see cref="Folder"/>.</summary>
    public string AuthorityPath => Path.Combine(Folder, "ca.crt");

    /// <summary>The client certificate, with its private key, issued by <see cref="Authority"/> for client authentication.</summary>
    public X509Certificate2 ClientCertificate { get; }

    /// <summary>The client certificate and key as a PKCS #12 file without a password, <c>client.pfx</c>.</summary>
    public string ClientCertificatePath => Path.Combine(Folder, "client.pfx");

    /// <summary>The client certificate as PEM, <c>client.cert</c>.</summary>
    public string ClientCertificatePemPath => Path.Combine(Folder, "client.cert");

    /// <summary>The client certificate's key as PEM (PKCS #1), <c>client.key</c>.</summary>
    public string ClientKeyPath => Path.Combine(Folder, "client.key");

    /// <summary>The temporary folder that holds the files; a ready-made docker or skopeo certificate folder.</summary>
    public string Folder { get; }

    /// <summary>The server's certificate, with its private key.</summary>
    internal X509Certificate2 ServerCertificate { get; }

    /// <summary>Makes the authority and both certificates and writes the files.</summary>
    /// <param name="address">The address the registry listens on; the server certificate names it, besides loopback.</param>
    /// <exception cref="PlatformNotSupportedException">This .NET cannot make certificates (before .NET Framework 4.7.2).</exception>
    public static TestRegistryCertificates Create(IPAddress address)
    {
        // Whole seconds: a certificate holds no fractions, and a leaf may not start before its issuer.
        var now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var notBefore = now.AddHours(-1);
        var notAfter = now.AddDays(7);

        using var authorityKey = NewKey();
        var authorityId = KeyIdentifier(authorityKey);
        var authorityRequest = new ReflectedCertificateRequest("CN=OciRegistry test registry CA " + now.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), authorityKey);
        authorityRequest.Extensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        authorityRequest.Extensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        authorityRequest.Extensions.Add(new X509SubjectKeyIdentifierExtension(authorityId, false));
        using var authority = authorityRequest.CreateSelfSigned(notBefore, notAfter);

        var names = new List<IPAddress> { IPAddress.Loopback, IPAddress.IPv6Loopback };
        if (!IPAddress.IsLoopback(address) && !address.Equals(IPAddress.Any) && !address.Equals(IPAddress.IPv6Any))
        {
            names.Add(address);
        }

        using var serverKey = NewKey();
        var serverRequest = Leaf("CN=localhost", serverKey, authorityId, X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, ServerAuthentication);
        serverRequest.Extensions.Add(new X509Extension("2.5.29.17", DerWriter.SubjectAlternativeName(["localhost"], names), false));
        using var server = serverRequest.Create(authority, notBefore, notAfter, SerialNumber(), serverKey);

        using var clientKey = NewKey();
        var clientRequest = Leaf("CN=OciRegistry test client", clientKey, authorityId, X509KeyUsageFlags.DigitalSignature, ClientAuthentication);
        using var client = clientRequest.Create(authority, notBefore, notAfter, SerialNumber(), clientKey);

        var folder = Path.Combine(Path.GetTempPath(), "OciRegistry-tls-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var result = new TestRegistryCertificates(new X509Certificate2(authority.RawData), Reimport(server), Reimport(client), folder);
        try
        {
            File.WriteAllText(result.AuthorityPath, DerWriter.Pem("CERTIFICATE", authority.RawData), Encoding.ASCII);
            File.WriteAllText(result.ClientCertificatePemPath, DerWriter.Pem("CERTIFICATE", client.RawData), Encoding.ASCII);
            File.WriteAllText(result.ClientKeyPath, DerWriter.Pem("RSA PRIVATE KEY", DerWriter.RsaPrivateKey(clientKey.ExportParameters(true))), Encoding.ASCII);
            File.WriteAllBytes(result.ClientCertificatePath, client.Export(X509ContentType.Pkcs12));
        }
        catch
        {
            result.Dispose();
            throw;
        }

        return result;
    }

    /// <summary>Disposes the certificates (and so their keys) and deletes the folder.</summary>
    public void Dispose()
    {
        Authority.Dispose();
        ServerCertificate.Dispose();
        ClientCertificate.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Already gone, or a file is open elsewhere (Windows): it lies in the temp folder either way.
        }
    }

    private static ReflectedCertificateRequest Leaf(string subject, RSA key, byte[] authorityId, X509KeyUsageFlags usage, string purpose)
    {
        var request = new ReflectedCertificateRequest(subject, key);
        request.Extensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.Extensions.Add(new X509KeyUsageExtension(usage, true));
        request.Extensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid(purpose) }, false));
        request.Extensions.Add(new X509SubjectKeyIdentifierExtension(KeyIdentifier(key), false));
        request.Extensions.Add(new X509Extension("2.5.29.35", DerWriter.AuthorityKeyIdentifier(authorityId), false));
        return request;
    }

    // RSA.Create(int) is not in netstandard2.0; setting KeySize before the first use works for every provider,
    // including .NET Framework's RSACryptoServiceProvider (1024 bits by default).
    private static RSA NewKey()
    {
        var key = RSA.Create();
        key.KeySize = KeySize;
        return key;
    }

    // RFC 5280 §4.2.1.2 method 1 in spirit: a SHA-1 of the public key (here the modulus); any stable unique value works.
    private static byte[] KeyIdentifier(RSA key)
    {
        using var sha1 = SHA1.Create();
        return sha1.ComputeHash(key.ExportParameters(false).Modulus!);
    }

    // Positive (top bit clear) and random, 16 bytes (RFC 5280 §4.1.2.2 allows up to 20).
    private static byte[] SerialNumber()
    {
        var serial = new byte[16];
        using (var random = RandomNumberGenerator.Create())
        {
            random.GetBytes(serial);
        }

        serial[0] &= 0x7F;
        serial[0] |= 0x01;
        return serial;
    }

    private static X509Certificate2 Reimport(X509Certificate2 withKey) =>
        new(withKey.Export(X509ContentType.Pkcs12), (string?)null, X509KeyStorageFlags.Exportable);
}
