using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading.Tasks;
using OciRegistry.Core.Client;
using OciRegistry.Core.References;
using OciRegistry.Core.Tests.Tls;
using OciRegistry.Core.Tls;
using OciRegistry.TestRegistry;
using OciRegistry.TestRegistry.Tls;

namespace OciRegistry.Core.Tests.TestRegistry;

public sealed class TlsListenerTests
{
    private static async Task<TestRegistryServer> StartAsync(bool requireClientCertificate = false, TimeSpan? headersTimeout = null)
    {
        var options = new TestRegistryOptions { Tls = true, RequireClientCertificate = requireClientCertificate };
        options.RequestHeadersTimeout = headersTimeout ?? options.RequestHeadersTimeout;
        var server = await TestRegistryServer.StartAsync(options);
        SampleContent.AddTo(server.Content);
        return server;
    }

    private static RegistryClient Client(string registry, X509Certificate2? authority, X509Certificate2? clientCertificate = null)
    {
        var options = new ClientOptions
        {
            UseDockerConfig = false,
            CertsDirectories = [],
            ClientCertificate = clientCertificate,
            Retry = new RetryOptions { MaxRetries = 0 },
        };
        if (authority is not null)
        {
            options.CertificateAuthorities.Add(authority);
        }

        return new RegistryClient(registry, options);
    }

    private static Reference Hello(string host) => Reference.Parse($"{host}/{SampleContent.Repository}:1.0");

    [Fact]
    public async Task StartAsync_Tls_ServesHttpsOnBothListeners_ToAClientThatTrustsItsAuthority()
    {
        using var server = await StartAsync();

        Assert.Equal(new Uri($"https://127.0.0.1:{server.Port}/"), server.Url);
        Assert.Equal("https", server.CdnUrl.Scheme);
        Assert.Equal($"127.0.0.1:{server.Port}", server.Host);
        using var client = Client(server.Host, server.Certificates!.Authority);
        var manifest = await client.GetManifestAsync(Hello(server.Host));
        Assert.Equal(manifest.Digest, (await client.GetManifestAsync(Hello(server.Host).AtDigest(manifest.Digest))).Digest);
    }

    [Fact]
    public async Task StartAsync_Tls_CertificateNamesLocalhostAndLoopbackAddresses()
    {
        using var server = await StartAsync();

        using var byName = Client($"localhost:{server.Port}", server.Certificates!.Authority);
        await byName.GetManifestAsync(Hello($"localhost:{server.Port}"));
        var names = server.Certificates.ServerCertificate.Extensions.Cast<X509Extension>().Single(e => e.Oid?.Value == "2.5.29.17").Format(false);
        Assert.Contains("localhost", names, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1", names, StringComparison.Ordinal);
        Assert.True(names.Contains("::1", StringComparison.Ordinal) || names.Contains("0:0:0:0:0:0:0:1", StringComparison.Ordinal), names);
    }

    [Fact]
    public async Task StartAsync_TlsOnIPv6Loopback_IsTrustedAtItsBracketedAddress()
    {
        if (!Socket.OSSupportsIPv6 || !CanBind(IPAddress.IPv6Loopback))
        {
            return; // No IPv6 loopback on this machine.
        }

        using var server = await TestRegistryServer.StartAsync(new TestRegistryOptions { Address = IPAddress.IPv6Loopback, Tls = true });
        SampleContent.AddTo(server.Content);

        Assert.Equal(new Uri($"https://[::1]:{server.Port}/"), server.Url);
        using var client = Client(server.Host, server.Certificates!.Authority);
        await client.GetManifestAsync(Hello(server.Host));
    }

    [Fact]
    public async Task StartAsync_Tls_CertificatesAreValidForAWeekAndTheServerOneIsForServers()
    {
        using var server = await StartAsync();
        var certificates = server.Certificates!;

        Assert.False(certificates.Authority.HasPrivateKey);
        Assert.True(certificates.ServerCertificate.HasPrivateKey);
        Assert.True(certificates.ClientCertificate.HasPrivateKey);
        Assert.InRange(certificates.Authority.NotBefore.ToUniversalTime(), DateTime.UtcNow.AddHours(-1.1), DateTime.UtcNow.AddHours(-0.9));
        Assert.InRange(certificates.ServerCertificate.NotAfter.ToUniversalTime(), DateTime.UtcNow.AddDays(6.9), DateTime.UtcNow.AddDays(7.1));
        Assert.Equal(certificates.Authority.Subject, certificates.ServerCertificate.Issuer);
        var usage = certificates.ServerCertificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single();
        Assert.Equal(["1.3.6.1.5.5.7.3.1"], usage.EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value));
    }

    [Fact]
    public async Task Tls_ClientWithoutTheAuthority_IsRefusedAsUntrusted()
    {
        using var server = await StartAsync();
        using var client = Client(server.Host, authority: null);

        var failure = await Assert.ThrowsAsync<RegistryCertificateException>(() => client.GetManifestAsync(Hello(server.Host)));
        Assert.Equal(CertificateProblem.Untrusted, failure.Problem);
    }

    [Fact]
    public async Task Tls_ClientWithAnotherAuthority_IsRefusedAsUntrusted()
    {
        using var server = await StartAsync();
        using var other = TestPki.Authority("another test CA");
        using var client = Client(server.Host, X509CertificateLoader.LoadCertificate(other.RawData));

        var failure = await Assert.ThrowsAsync<RegistryCertificateException>(() => client.GetManifestAsync(Hello(server.Host)));
        Assert.Equal(CertificateProblem.Untrusted, failure.Problem);
    }

    [Fact]
    public async Task RequireClientCertificate_WithoutOne_IsRefusedAsRequired()
    {
        using var server = await StartAsync(requireClientCertificate: true);
        using var client = Client(server.Host, server.Certificates!.Authority);

        var failure = await Assert.ThrowsAsync<RegistryCertificateException>(() => client.GetManifestAsync(Hello(server.Host)));
        Assert.Equal(CertificateProblem.ClientCertificateRequired, failure.Problem);
    }

    [Fact]
    public async Task RequireClientCertificate_WithTheIssuedOne_Pulls()
    {
        using var server = await StartAsync(requireClientCertificate: true);
        using var client = Client(server.Host, server.Certificates!.Authority, server.Certificates.ClientCertificate);

        await client.GetManifestAsync(Hello(server.Host));
    }

    [Fact]
    public async Task RequireClientCertificate_FromAnotherAuthority_IsRefused()
    {
        using var server = await StartAsync(requireClientCertificate: true);
        using var otherAuthority = TestPki.Authority("another test CA");
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=stranger", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.2") }, false));
        using var signed = request.Create(otherAuthority, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1), [1, 2, 3, 4]);
        using var stranger = signed.CopyWithPrivateKey(key);
        using var client = Client(server.Host, server.Certificates!.Authority, stranger);

        var failure = await Assert.ThrowsAsync<RegistryCertificateException>(() => client.GetManifestAsync(Hello(server.Host)));
        Assert.Equal(CertificateProblem.ClientCertificateRefused, failure.Problem);
    }

    [Fact]
    public async Task IssuedByAuthority_AcceptsOnlyClientCertificatesOfTheRegistrysAuthority()
    {
        using var server = await StartAsync(requireClientCertificate: true);
        var tls = new ServerTls(server.Certificates!, requireClientCertificate: true);
        using var otherAuthority = TestPki.Authority("another test CA");
        using var foreign = TestPki.Leaf(otherAuthority, "client", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1), "1.3.6.1.5.5.7.3.2");

        Assert.True(tls.IssuedByAuthority(server.Certificates!.ClientCertificate));
        Assert.False(tls.IssuedByAuthority(foreign));
        Assert.False(tls.IssuedByAuthority(server.Certificates.ServerCertificate)); // for servers, not clients
        Assert.False(tls.IssuedByAuthority(server.Certificates.Authority)); // the authority itself is no client
    }

    [Fact]
    public async Task Tls_AClientThatNeverHandshakes_IsDroppedAfterTheHeaderTimeout()
    {
        using var server = await StartAsync(headersTimeout: TimeSpan.FromSeconds(1));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, server.Port);
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var read = await socket.ReceiveAsync(new byte[16]).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, read);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Tls_PlainHttpRequest_IsAnswered400InPlainHttpAndClosed()
    {
        using var server = await StartAsync();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, server.Port);
        await socket.SendAsync(Encoding.ASCII.GetBytes("GET /v2/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));

        var buffer = new byte[1024];
        var total = 0;
        try
        {
            for (int read; (read = await socket.ReceiveAsync(buffer.AsMemory(total)).AsTask().WaitAsync(TimeSpan.FromSeconds(5))) > 0;)
            {
                total += read;
            }
        }
        catch (SocketException)
        {
            // Reset: closed all the same.
        }

        var answer = Encoding.ASCII.GetString(buffer, 0, total);
        Assert.StartsWith("HTTP/1.1 400 ", answer, StringComparison.Ordinal);
        Assert.Contains("Connection: close", answer, StringComparison.Ordinal);
        Assert.Contains("speaks HTTPS", answer, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Certificates_FilesAreUsableByTools_AndDeletedOnStop()
    {
        var server = await StartAsync();
        var certificates = server.Certificates!;
        Assert.Equal(certificates.Folder, Path.GetDirectoryName(certificates.AuthorityPath));

        var authority = Assert.Single(CertificateFiles.ReadAuthorities(certificates.AuthorityPath));
        Assert.Equal(certificates.Authority.RawData, authority.RawData);
        using var pem = X509Certificate2.CreateFromPemFile(certificates.ClientCertificatePemPath, certificates.ClientKeyPath);
        Assert.Equal(certificates.ClientCertificate.RawData, pem.RawData);
        Assert.StartsWith("-----BEGIN RSA PRIVATE KEY-----", File.ReadAllText(certificates.ClientKeyPath), StringComparison.Ordinal);
        using var pfx = X509CertificateLoader.LoadPkcs12FromFile(certificates.ClientCertificatePath, null);
        Assert.True(pfx.HasPrivateKey);
        Assert.Equal(certificates.ClientCertificate.RawData, pfx.RawData);

        await server.StopAsync();

        Assert.False(Directory.Exists(certificates.Folder));
    }

    [Fact]
    public async Task StartAsync_WithoutTls_HasNoCertificates()
    {
        using var server = await TestRegistryServer.StartAsync();

        Assert.Null(server.Certificates);
        Assert.Equal("http", server.Url.Scheme);
    }

    private static bool CanBind(IPAddress address)
    {
        try
        {
            var listener = new TcpListener(address, 0);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
