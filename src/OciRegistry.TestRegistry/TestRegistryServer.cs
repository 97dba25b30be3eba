using System;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core;
using OciRegistry.TestRegistry.Http;
using OciRegistry.TestRegistry.Tls;

namespace OciRegistry.TestRegistry;

/// <summary>
/// An OCI registry inside the current process, for tests: serves what its <see cref="Content"/> holds over plain
/// HTTP, or HTTPS with a throwaway certificate authority (<see cref="TestRegistryOptions.Tls"/>), and takes pushes
/// into it (unless <see cref="TestRegistryOptions.ReadOnly"/>), by default on 127.0.0.1 and a free port, with
/// switchable <see cref="Faults"/>, a <see cref="Requests"/> log, and anonymous, Basic or bearer authentication.
/// </summary>
/// <remarks>
/// Two listeners: the registry at <see cref="Url"/>, and a CDN origin at <see cref="CdnUrl"/> that serves the same
/// content to the signed URLs a <see cref="FaultKind.Redirect"/> fault hands out, without authentication.
/// Both speak HTTP/1.1 through the registry's own small server on <see cref="System.Net.Sockets.TcpListener"/>, with caps on
/// request lines, headers and connections and timeouts for slow clients (<see cref="TestRegistryOptions"/>), so one
/// client cannot take the test process down; it needs nothing outside the BCL. Every request is handled on the
/// thread pool and nothing runs on a foreground thread: a forgotten server never keeps a process alive.
/// Stopping closes both listening sockets and aborts requests in flight, so the ports are free at once, and deletes
/// the temporary folders that uploads larger than a megabyte and the TLS certificates were written to.
/// Not <c>IAsyncDisposable</c> on purpose: on netstandard2.0 that type comes from Microsoft.Bcl.AsyncInterfaces,
/// which a .NET (Core) consumer does not receive through System.Text.Json, so loading this type would fail there.
/// Call <see cref="StopAsync"/> to wait for handlers, or <see cref="Dispose"/> to stop at once.
/// </remarks>
public sealed class TestRegistryServer : IDisposable
{
    private readonly TestRegistryListener _registry;
    private readonly TestRegistryListener _cdn;
    private readonly UploadArea _uploads;

    private TestRegistryServer(TestRegistryListener registry, TestRegistryListener cdn, UploadArea uploads, TestRegistryCertificates? certificates, ContentStore content, FaultCollection faults, RequestLog requests, RegistryAuthenticator authenticator, TestRegistryAuthMode mode)
    {
        _registry = registry;
        _cdn = cdn;
        _uploads = uploads;
        Certificates = certificates;
        Content = content;
        Faults = faults;
        Requests = requests;
        Authentication = mode;
        TokenUrl = authenticator.Realm;
        Tokens = authenticator.Tokens;
    }

    /// <summary>The base URL, e.g. <c>http://127.0.0.1:41234/</c>, or <c>https://…</c> with TLS.</summary>
    public Uri Url => _registry.Url;

    /// <summary>The registry as it is written in an image reference, e.g. <c>127.0.0.1:41234</c>.</summary>
    public string Host => _registry.Host;

    /// <summary>The TCP port the server listens on.</summary>
    public int Port => _registry.Port;

    /// <summary>The base URL of the CDN origin that redirects point to; a different port, so a different origin.</summary>
    public Uri CdnUrl => _cdn.Url;

    /// <summary>How requests are authenticated.</summary>
    public TestRegistryAuthMode Authentication { get; }

    /// <summary>The certificate authority, server and client certificates of a TLS server; null for plain HTTP.</summary>
    public TestRegistryCertificates? Certificates { get; }

    /// <summary>Whether the registry refuses TLS clients without a certificate from <see cref="Certificates"/>' authority.</summary>
    public bool RequiresClientCertificate { get; private init; }

    /// <summary>The token endpoint (the realm of the bearer challenge), e.g. <c>http://127.0.0.1:41234/token</c>; null unless bearer.</summary>
    public Uri? TokenUrl { get; }

    /// <summary>The token endpoint and the tokens it issued, in bearer mode; null otherwise.</summary>
    internal TokenService? Tokens { get; }

    /// <summary>The upload sessions and their folder.</summary>
    internal UploadArea Uploads => _uploads;

    /// <summary>Whether writes are refused with 405 (<see cref="TestRegistryOptions.ReadOnly"/>).</summary>
    public bool ReadOnly { get; private init; }

    /// <summary>What the server serves; add to it at any time.</summary>
    public ContentStore Content { get; }

    /// <summary>The faults it injects; change them at any time.</summary>
    public FaultCollection Faults { get; }

    /// <summary>Every request the registry and its CDN origin handled.</summary>
    public RequestLog Requests { get; }

    /// <summary>Whether the server still accepts requests.</summary>
    public bool IsRunning => _registry.IsRunning;

    /// <summary>Starts a server and returns once it accepts connections.</summary>
    /// <param name="options">Address, port and authentication; anonymous on loopback and a free port when null.</param>
    /// <param name="cancellationToken">Stops the retries when a free port keeps being taken.</param>
    /// <exception cref="ArgumentException">The options are inconsistent (a port out of range, Basic without a credential…).</exception>
    /// <exception cref="OciException">The server could not listen (the port is taken, or the address is not local).</exception>
    /// <exception cref="PlatformNotSupportedException">TLS on a .NET without CertificateRequest (before .NET Framework 4.7.2).</exception>
    public static async Task<TestRegistryServer> StartAsync(TestRegistryOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new TestRegistryOptions();
        var address = options.Address ?? throw new ArgumentException("the test registry needs an address to listen on", nameof(options));
        if (options.Port is < 0 or > IPEndPoint.MaxPort)
        {
            throw new ArgumentException($"{options.Port} is not a TCP port", nameof(options));
        }

        RegistryAuthenticator.Validate(options);
        PullRateLimit.Validate(options);
        var limits = HttpServerLimits.From(options);
        var content = new ContentStore();
        var faults = new FaultCollection();
        var requests = new RequestLog();
        var uploads = new UploadArea(options);
        var handler = new RegistryRequestHandler(content, uploads, options.ReadOnly, options.AllowDelete, options.ReferrersApi);
        var signer = new UrlSigner(options.TimeProvider);
        var tls = options.Tls || options.RequireClientCertificate;
        var certificates = tls ? TestRegistryCertificates.Create(address) : null;
        TestRegistryListener? cdn = null;
        try
        {
            // The CDN origin speaks TLS with the same certificate but asks for no client certificate, as a CDN would not.
            var cdnPipeline = RequestPipeline.ForCdn(handler, faults, requests, signer, options.TimeProvider);
            cdn = await TestRegistryListener.StartAsync(address, 0, limits, cdnPipeline.ServeAsync, cancellationToken, certificates is null ? null : new ServerTls(certificates, requireClientCertificate: false)).ConfigureAwait(false);
            // The registry's pipeline needs the registry's own URL for the realm, known once it listens; a request
            // that beats the wiring (nobody knows the port yet) is dropped by the listener.
            RequestPipeline? registryPipeline = null;
            var registry = await TestRegistryListener.StartAsync(
                address,
                options.Port,
                limits,
                (context, stopping) => (registryPipeline ?? throw new InvalidOperationException("the registry is still starting")).ServeAsync(context, stopping),
                cancellationToken,
                certificates is null ? null : new ServerTls(certificates, options.RequireClientCertificate)).ConfigureAwait(false);
            var authenticator = new RegistryAuthenticator(options, registry.Url, registry.Host);
            var rateLimit = options.RateLimit is { } pulls ? new PullRateLimit(pulls, options.RateLimitWindow, address.ToString(), options.TimeProvider) : null;
            registryPipeline = RequestPipeline.ForRegistry(handler, faults, requests, authenticator, signer, options.TimeProvider, cdn.Url, rateLimit);
            return new TestRegistryServer(registry, cdn, uploads, certificates, content, faults, requests, authenticator, options.Authentication)
            {
                ReadOnly = options.ReadOnly,
                RequiresClientCertificate = options.RequireClientCertificate,
            };
        }
        catch
        {
            cdn?.Stop();
            certificates?.Dispose();
            throw;
        }
    }

    /// <summary>Stops accepting, aborts requests in flight and waits (a few seconds at most) for their handlers to end.</summary>
    public async Task StopAsync()
    {
        try
        {
            await Task.WhenAll(_registry.StopAsync(), _cdn.StopAsync()).ConfigureAwait(false);
        }
        finally
        {
            _uploads.Dispose();
            Certificates?.Dispose();
        }
    }

    /// <summary>Stops the server at once; handlers of aborted requests end on their own.</summary>
    public void Dispose()
    {
        _registry.Stop();
        _cdn.Stop();
        _uploads.Dispose();
        Certificates?.Dispose();
    }
}
