using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using OciRegistry.Core.LocalFiles;

namespace OciRegistry.Core.Tls;

/// <summary>
/// Reads certificates as registries' admins hand them out: PEM bundles and DER files of certificate authorities, a
/// PFX (PKCS #12) with its key, or a PEM certificate with its PEM key (RSA, EC; PKCS #1, SEC 1 or PKCS #8).
/// </summary>
public static class CertificateFiles
{
    private const string BeginCertificate = "-----BEGIN CERTIFICATE-----";
    private const string EndCertificate = "-----END CERTIFICATE-----";

    /// <summary>Every certificate in a PEM bundle, or the one certificate of a DER file.</summary>
    public static IReadOnlyList<X509Certificate2> ReadAuthorities(string path)
    {
        var bytes = Read(path);

        var text = Encoding.ASCII.GetString(bytes);
        var found = new List<X509Certificate2>();
        try
        {
            if (text.IndexOf(BeginCertificate, StringComparison.Ordinal) < 0)
            {
                found.Add(new X509Certificate2(bytes));
                return found;
            }

            for (var start = text.IndexOf(BeginCertificate, StringComparison.Ordinal); start >= 0; start = text.IndexOf(BeginCertificate, start + 1, StringComparison.Ordinal))
            {
                var end = text.IndexOf(EndCertificate, start, StringComparison.Ordinal);
                if (end < 0)
                {
                    throw new CertificateFileException(path, "a PEM certificate has no END line");
                }

                var body = text.Substring(start + BeginCertificate.Length, end - start - BeginCertificate.Length);
                found.Add(new X509Certificate2(Convert.FromBase64String(body)));
            }
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            throw new CertificateFileException(path, "it is neither a PEM certificate bundle nor a DER certificate", e);
        }

        return found;
    }

    /// <summary>
    /// A client certificate with its private key: from a PFX/P12 file (with <paramref name="password"/>), or from a
    /// PEM certificate and a PEM key (<paramref name="keyPath"/>, or the same file when it holds both).
    /// </summary>
    public static X509Certificate2 ReadClientCertificate(string path, string? keyPath = null, SecureString? password = null)
    {
        var bytes = Read(path);
        if (keyPath is null && !LooksLikePem(bytes))
        {
            try
            {
                var pfx = password is null ? new X509Certificate2(bytes) : new X509Certificate2(bytes, password);
                return pfx.HasPrivateKey ? pfx : throw new CertificateFileException(path, "it holds no private key");
            }
            catch (CryptographicException e)
            {
                throw new CertificateFileException(path, "it is not a PFX (PKCS #12) file, or the password is wrong", e);
            }
        }

        if (keyPath is not null)
        {
            // Checked as the certificate was: a regular file under the cap, before .NET reads it by name.
            _ = Read(keyPath);
        }

        return ReadPemPair(path, keyPath ?? path);
    }

    /// <summary>
    /// The most a certificate, key or bundle file may hold. The system's whole CA bundle is about 200 KiB; a
    /// certs.d folder is read without asking, so a file planted there must not be able to fill memory.
    /// </summary>
    internal const long MaxFileBytes = 4 * 1024 * 1024;

    /// <summary>
    /// Reads a certificate file the way the module reads every small local file (<see cref="RegularFile"/>): a
    /// link is followed (CA bundles are often links) but must end at a regular file, so a FIFO or a device is
    /// refused without a read, and never more than <see cref="MaxFileBytes"/>.
    /// </summary>
    private static byte[] Read(string path)
    {
        try
        {
            return RegularFile.ReadAllBytesCapped(path, MaxFileBytes, ContentKind.Blob, followFinalLink: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException or OciException)
        {
            throw new CertificateFileException(path, e is FileNotFoundException or DirectoryNotFoundException ? "there is no such file" : e.Message, e);
        }
    }

    private static bool LooksLikePem(byte[] bytes) =>
        Encoding.ASCII.GetString(bytes, 0, Math.Min(4096, bytes.Length)).IndexOf("-----BEGIN ", StringComparison.Ordinal) >= 0;

    /// <summary>
    /// X509Certificate2.CreateFromPemFile exists from .NET 5 (PowerShell 7.1); it is called by name so that this
    /// assembly still loads on .NET Framework, where a PEM key cannot be imported without a parser of our own.
    /// The result is exported and imported again: Windows' TLS stack (SChannel) cannot use an ephemeral key.
    /// </summary>
    private static X509Certificate2 ReadPemPair(string certificatePath, string keyPath)
    {
        var create = typeof(X509Certificate2).GetMethod("CreateFromPemFile", BindingFlags.Public | BindingFlags.Static, null, [typeof(string), typeof(string)], null);
        if (create is null)
        {
            throw new CertificateFileException(certificatePath,
                "a PEM certificate and key need PowerShell 7; on Windows PowerShell convert them to a PFX first (openssl pkcs12 -export -in client.cert -inkey client.key -out client.pfx)");
        }

        try
        {
            using var pem = (X509Certificate2)create.Invoke(null, [certificatePath, keyPath])!;
            return new X509Certificate2(pem.Export(X509ContentType.Pkcs12));
        }
        catch (TargetInvocationException e) when (e.InnerException is CryptographicException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            throw new CertificateFileException(certificatePath, $"the certificate and the key in {keyPath} could not be read as a pair: {e.InnerException.Message}", e.InnerException);
        }
    }
}
