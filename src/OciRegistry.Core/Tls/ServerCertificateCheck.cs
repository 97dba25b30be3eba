using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OciRegistry.Core.Tls;

/// <summary>
/// Decides whether a registry's certificate is trusted: what the system trusts, plus the extra certificate
/// authorities of <c>-CertificateAuthority</c> and <c>certs.d</c> for this registry only. An extra root anchors a
/// chain that is otherwise valid (names, dates, usage for a TLS server); it never excuses a name mismatch or an
/// expired certificate. The chain is built by hand with the roots as an extra store rather than with .NET 5's
/// custom trust mode, so that the same code runs on .NET Framework 4.7.2 (Windows PowerShell 5.1).
/// The reason for a refusal is kept on the request, because the handler reports only "the remote certificate is
/// invalid": <see cref="TlsNoteHandler"/> turns it into a <see cref="RegistryCertificateException"/>.
/// </summary>
/// <remarks>RFC 5280 section 6 (path validation); RFC 6125 (names) is left to the platform.</remarks>
internal sealed class ServerCertificateCheck(IReadOnlyList<X509Certificate2> extraRoots)
{
    /// <summary>The request property that holds a <see cref="Refusal"/>.</summary>
    public const string RefusalKey = "OciRegistry.Tls.Refusal";

    /// <summary>The request property set when the registry's certificate was accepted on the request's connection.</summary>
    public const string AcceptedKey = "OciRegistry.Tls.Accepted";

    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";

    /// <summary>The handler's validation callback.</summary>
    public bool Validate(HttpRequestMessage? request, X509Certificate2? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        var refusal = Decide(request?.RequestUri?.Host, certificate, chain, errors);
        if (request is not null)
        {
#pragma warning disable CS0618 // Properties: the one request bag that netstandard2.0 and .NET Framework have.
            if (refusal is null)
            {
                request.Properties[AcceptedKey] = true;
            }
            else
            {
                request.Properties[RefusalKey] = refusal;
            }
#pragma warning restore CS0618
        }

        return refusal is null;
    }

    /// <summary>Null when the certificate is trusted, else why not.</summary>
    internal Refusal? Decide(string? host, X509Certificate2? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
        {
            return new Refusal(CertificateProblem.Missing, "the registry sent no certificate");
        }

        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return new Refusal(CertificateProblem.NameMismatch, $"its certificate {Describe(certificate)} is for {Names(certificate)}, not for {host ?? "the host connected to"}");
        }

        if (errors == SslPolicyErrors.None)
        {
            return null;
        }

        var statuses = chain?.ChainStatus.Select(s => s.Status).ToList() ?? [];
        if (extraRoots.Count > 0)
        {
            statuses = BuildWithExtraRoots(certificate, chain, out var anchored);
            if (anchored && statuses.Count == 0)
            {
                return null;
            }

            if (!anchored)
            {
                statuses.Add(X509ChainStatusFlags.UntrustedRoot);
            }
        }

        return FromStatuses(certificate, statuses);
    }

    /// <summary>
    /// Builds the chain again with the extra roots (and the intermediates the registry sent) in the extra store. The
    /// unknown-authority flag lets the build reach a root the system does not trust; the chain counts as anchored
    /// only when that root is one of ours, and every other status still fails it.
    /// </summary>
    private List<X509ChainStatusFlags> BuildWithExtraRoots(X509Certificate2 certificate, X509Chain? sent, out bool anchored)
    {
        using var custom = new X509Chain();
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        custom.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
        custom.ChainPolicy.ApplicationPolicy.Add(new Oid(ServerAuthentication));
        foreach (var root in extraRoots)
        {
            custom.ChainPolicy.ExtraStore.Add(root);
        }

        if (sent is not null)
        {
            foreach (var element in sent.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        custom.Build(certificate);
        var elements = custom.ChainElements;
        var top = elements.Count > 0 ? elements[elements.Count - 1].Certificate : null;
        var ours = top is not null && extraRoots.Any(root => root.RawData.SequenceEqual(top.RawData));
        anchored = ours;
        return custom.ChainStatus
            .Select(s => s.Status)
            .Where(s => s != X509ChainStatusFlags.NoError && !(ours && s is X509ChainStatusFlags.UntrustedRoot or X509ChainStatusFlags.PartialChain))
            .ToList();
    }

    private static Refusal FromStatuses(X509Certificate2 certificate, IReadOnlyCollection<X509ChainStatusFlags> statuses)
    {
        var who = Describe(certificate);
        if (statuses.Contains(X509ChainStatusFlags.Revoked))
        {
            return new Refusal(CertificateProblem.Revoked, $"its certificate {who}, or one in its chain, was revoked");
        }

        if (statuses.Contains(X509ChainStatusFlags.NotTimeValid))
        {
            return new Refusal(CertificateProblem.Expired, $"its certificate {who}, or one in its chain, is expired or not yet valid");
        }

        if (statuses.Contains(X509ChainStatusFlags.UntrustedRoot) || statuses.Contains(X509ChainStatusFlags.PartialChain))
        {
            return new Refusal(CertificateProblem.Untrusted, $"its certificate {who} does not chain to a trusted certificate authority");
        }

        if (statuses.Contains(X509ChainStatusFlags.NotValidForUsage))
        {
            return new Refusal(CertificateProblem.Invalid, $"its certificate {who} may not be used for a TLS server");
        }

        var names = statuses.Count == 0 ? "an invalid chain" : string.Join(", ", statuses.Distinct());
        return new Refusal(CertificateProblem.Invalid, $"its certificate {who} failed the chain check ({names})");
    }

    /// <summary>"'CN=registry' issued by 'CN=Corp CA', valid 2026-01-01 to 2027-01-01".</summary>
    internal static string Describe(X509Certificate2 certificate) =>
        string.Format(CultureInfo.InvariantCulture, "'{0}' issued by '{1}', valid {2:yyyy-MM-dd} to {3:yyyy-MM-dd}",
            certificate.Subject, certificate.Issuer, certificate.NotBefore.ToUniversalTime(), certificate.NotAfter.ToUniversalTime());

    private static string Names(X509Certificate2 certificate)
    {
        foreach (var extension in certificate.Extensions)
        {
            if (extension.Oid?.Value == "2.5.29.17")
            {
                return extension.Format(false);
            }
        }

        return certificate.GetNameInfo(X509NameType.DnsName, false) is { Length: > 0 } name ? name : certificate.Subject;
    }

    /// <summary>Why a certificate was refused.</summary>
    internal sealed record Refusal(CertificateProblem Problem, string Detail);
}
