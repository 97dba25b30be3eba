using System;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OciRegistry.Core.Tests.Tls;

/// <summary>Throwaway certificate authorities and the certificates they sign, made in memory.</summary>
internal static class TestPki
{
    public static X509Certificate2 Authority(string name, DateTimeOffset? notBefore = null)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var start = notBefore ?? DateTimeOffset.UtcNow.AddDays(-30);
        return request.CreateSelfSigned(start, start.AddYears(1));
    }

    public static X509Certificate2 Leaf(X509Certificate2 authority, string dnsName, DateTimeOffset notBefore, DateTimeOffset notAfter, string usage = "1.3.6.1.5.5.7.3.1")
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=" + dnsName, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(dnsName);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid(usage) }, false));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        var serial = new byte[8];
        RandomNumberGenerator.Fill(serial);
        return request.Create(authority, notBefore, notAfter, serial);
    }

    public static X509Certificate2 Leaf(X509Certificate2 authority, string dnsName) =>
        Leaf(authority, dnsName, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

    public static string Pem(X509Certificate2 certificate) => certificate.ExportCertificatePem() + "\n";
}
