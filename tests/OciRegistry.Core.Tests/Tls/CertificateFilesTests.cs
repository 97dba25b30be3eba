using System;
using System.IO;
using OciRegistry.Core.Tls;

namespace OciRegistry.Core.Tests.Tls;

public sealed class CertificateFilesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("oci-certs-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void ReadAuthorities_PemBundle_ReadsEveryCertificate()
    {
        var path = Path.Combine(_folder, "bundle.crt");
        File.WriteAllText(path, "# a comment\n" + TestPki.Pem(TestPki.Authority("One")) + TestPki.Pem(TestPki.Authority("Two")));

        var read = CertificateFiles.ReadAuthorities(path);

        Assert.Equal(["CN=One", "CN=Two"], [read[0].Subject, read[1].Subject]);
    }

    [Fact]
    public void ReadAuthorities_Der_ReadsTheCertificate()
    {
        var path = Path.Combine(_folder, "ca.der");
        File.WriteAllBytes(path, TestPki.Authority("Der").RawData);

        Assert.Equal("CN=Der", Assert.Single(CertificateFiles.ReadAuthorities(path)).Subject);
    }

    [Theory]
    [InlineData("not a certificate")]
    [InlineData("-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n")]
    [InlineData("-----BEGIN CERTIFICATE-----\nAAAA\n")]
    public void ReadAuthorities_Garbage_ThrowsCertificateFileException(string text)
    {
        var path = Path.Combine(_folder, "bad.crt");
        File.WriteAllText(path, text);

        var e = Assert.Throws<CertificateFileException>(() => CertificateFiles.ReadAuthorities(path));

        Assert.Equal(path, e.Path);
    }

    // A certs.d folder is read without asking: a ca.crt planted as a link to a device or FIFO, or a huge file, must
    // be refused without a read that never ends or fills memory.
    [Theory]
    [InlineData("/dev/zero")]
    [InlineData("/dev/urandom")]
    public void ReadAuthorities_LinkToADevice_IsRefusedWithoutReadingIt(string device)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var path = Path.Combine(_folder, "ca.crt");
        File.CreateSymbolicLink(path, device);

        Assert.Throws<CertificateFileException>(() => CertificateFiles.ReadAuthorities(path));
        Assert.Throws<CertificateFileException>(() => CertificateFiles.ReadClientCertificate(path));
    }

    [Fact]
    public async System.Threading.Tasks.Task ReadAuthorities_Fifo_IsRefusedWithoutBlocking()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var path = Path.Combine(_folder, "fifo.crt");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", path))
        {
            mkfifo.WaitForExit();
        }

        var read = System.Threading.Tasks.Task.Run(() => Assert.Throws<CertificateFileException>(() => CertificateFiles.ReadAuthorities(path)));

        Assert.Same(read, await System.Threading.Tasks.Task.WhenAny(read, System.Threading.Tasks.Task.Delay(TimeSpan.FromSeconds(5))));
        await read;
    }

    [Fact]
    public void ReadAuthorities_FileOverTheCap_IsRefused()
    {
        var path = Path.Combine(_folder, "huge.crt");
        using (var file = File.Create(path))
        {
            file.SetLength(64L * 1024 * 1024);
        }

        Assert.Throws<CertificateFileException>(() => CertificateFiles.ReadAuthorities(path));
    }

    [Fact]
    public void ReadAuthorities_MissingFile_ThrowsCertificateFileException() =>
        Assert.Throws<CertificateFileException>(() => CertificateFiles.ReadAuthorities(Path.Combine(_folder, "none.crt")));

    [Fact]
    public void ReadClientCertificate_PemPair_HasItsKey()
    {
        var ca = TestPki.Authority("Client CA");
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=client", key, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        var certificate = request.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1), [1, 2, 3, 4]);
        File.WriteAllText(Path.Combine(_folder, "client.cert"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(_folder, "client.key"), key.ExportPkcs8PrivateKeyPem());

        var read = CertificateFiles.ReadClientCertificate(Path.Combine(_folder, "client.cert"), Path.Combine(_folder, "client.key"));

        Assert.True(read.HasPrivateKey);
        Assert.Equal("CN=client", read.Subject);
    }

    [Fact]
    public void ReadClientCertificate_PfxWithoutItsPassword_ThrowsCertificateFileException()
    {
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=pfx", key, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        var withKey = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var path = Path.Combine(_folder, "client.pfx");
        File.WriteAllBytes(path, withKey.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pkcs12, "right"));

        Assert.Throws<CertificateFileException>(() => CertificateFiles.ReadClientCertificate(path));
    }
}
