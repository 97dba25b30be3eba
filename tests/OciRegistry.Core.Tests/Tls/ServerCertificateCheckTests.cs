using System;
using System.Net.Security;
using OciRegistry.Core.Tls;

namespace OciRegistry.Core.Tests.Tls;

public sealed class ServerCertificateCheckTests
{
    private static readonly System.Security.Cryptography.X509Certificates.X509Certificate2 Ca = TestPki.Authority("Corp CA");
    private static readonly System.Security.Cryptography.X509Certificates.X509Certificate2 OtherCa = TestPki.Authority("Other CA");

    [Fact]
    public void Decide_ChainToAnExtraRoot_IsTrusted()
    {
        var leaf = TestPki.Leaf(Ca, "registry.corp");

        var refusal = new ServerCertificateCheck([Ca]).Decide("registry.corp", leaf, null, SslPolicyErrors.RemoteCertificateChainErrors);

        Assert.Null(refusal);
    }

    [Fact]
    public void Decide_ChainToAnotherRoot_IsUntrustedAndNamesTheCertificate()
    {
        var leaf = TestPki.Leaf(Ca, "registry.corp");

        var refusal = new ServerCertificateCheck([OtherCa]).Decide("registry.corp", leaf, null, SslPolicyErrors.RemoteCertificateChainErrors);

        Assert.Equal(CertificateProblem.Untrusted, refusal!.Problem);
        Assert.Contains("'CN=registry.corp' issued by 'CN=Corp CA'", refusal.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_NoExtraRootsAndAChainError_IsUntrusted()
    {
        var leaf = TestPki.Leaf(Ca, "registry.corp");

        var refusal = new ServerCertificateCheck([]).Decide("registry.corp", leaf, null, SslPolicyErrors.RemoteCertificateChainErrors);

        Assert.NotNull(refusal);
    }

    [Fact]
    public void Decide_ExpiredLeafOfAnExtraRoot_IsExpired()
    {
        var leaf = TestPki.Leaf(Ca, "registry.corp", DateTimeOffset.UtcNow.AddDays(-20), DateTimeOffset.UtcNow.AddDays(-1));

        var refusal = new ServerCertificateCheck([Ca]).Decide("registry.corp", leaf, null, SslPolicyErrors.RemoteCertificateChainErrors);

        Assert.Equal(CertificateProblem.Expired, refusal!.Problem);
    }

    [Fact]
    public void Decide_ClientOnlyCertificateOfAnExtraRoot_IsNotForATlsServer()
    {
        var leaf = TestPki.Leaf(Ca, "registry.corp", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), usage: "1.3.6.1.5.5.7.3.2");

        var refusal = new ServerCertificateCheck([Ca]).Decide("registry.corp", leaf, null, SslPolicyErrors.RemoteCertificateChainErrors);

        Assert.Equal(CertificateProblem.Invalid, refusal!.Problem);
    }

    [Fact]
    public void Decide_NameMismatch_IsRefusedWhateverTheRoots()
    {
        var leaf = TestPki.Leaf(Ca, "registry.corp");

        var refusal = new ServerCertificateCheck([Ca]).Decide("other.corp", leaf, null, SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateChainErrors);

        Assert.Equal(CertificateProblem.NameMismatch, refusal!.Problem);
        Assert.Contains("not for other.corp", refusal.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_NoCertificate_IsMissing()
    {
        var refusal = new ServerCertificateCheck([Ca]).Decide("registry.corp", null, null, SslPolicyErrors.RemoteCertificateNotAvailable);

        Assert.Equal(CertificateProblem.Missing, refusal!.Problem);
    }

    [Fact]
    public void Decide_WhatTheSystemTrusts_IsTrusted()
    {
        var leaf = TestPki.Leaf(Ca, "registry.corp");

        Assert.Null(new ServerCertificateCheck([]).Decide("registry.corp", leaf, null, SslPolicyErrors.None));
    }

    [Fact]
    public void Decide_ARootGivenAsTheLeafItself_DoesNotMakeAnotherLeafTrusted()
    {
        // Trusting one server certificate directly anchors only chains that end at it.
        var trusted = TestPki.Leaf(Ca, "a.corp");
        var other = TestPki.Leaf(OtherCa, "a.corp");

        var refusal = new ServerCertificateCheck([trusted]).Decide("a.corp", other, null, SslPolicyErrors.RemoteCertificateChainErrors);

        Assert.Equal(CertificateProblem.Untrusted, refusal!.Problem);
    }
}
