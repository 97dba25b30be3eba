using System;
using System.Net;

namespace OciRegistry.TestRegistry;

/// <summary>Where a <see cref="TestRegistryServer"/> listens and how it authenticates.</summary>
public sealed class TestRegistryOptions
{
    /// <summary>The address to listen on; loopback (127.0.0.1) unless a test needs another. The CDN origin listens there too.</summary>
    public IPAddress Address { get; set; } = IPAddress.Loopback;

    /// <summary>The TCP port of the registry; 0 (the default) picks a free one. The CDN origin always takes a free port.</summary>
    public int Port { get; set; }

    /// <summary>
    /// Refuse every write with 405, as the registry did before it took pushes: uploads, manifest PUT and DELETE.
    /// </summary>
    public bool ReadOnly { get; set; }

    /// <summary>Whether DELETE of manifests, tags and blobs is allowed (405 otherwise); on by default.</summary>
    public bool AllowDelete { get; set; } = true;

    /// <summary>
    /// Whether <c>/v2/&lt;name&gt;/referrers/&lt;digest&gt;</c> answers (on by default). Off, it is a 404 as on
    /// registries without the API, so clients fall back to the referrers tag schema (<c>sha256-&lt;hex&gt;</c> tags).
    /// </summary>
    public bool ReferrersApi { get; set; } = true;

    /// <summary>
    /// Serve HTTPS (registry and CDN origin) with a certificate from a throwaway certificate authority the server makes
    /// at start (<see cref="TestRegistryServer.Certificates"/>); plain HTTP by default.
    /// </summary>
    public bool Tls { get; set; }

    /// <summary>
    /// With TLS, refuse the handshake of a registry client without a certificate issued by the server's own
    /// authority (<see cref="Tls.TestRegistryCertificates.ClientCertificate"/>). Implies <see cref="Tls"/>. The CDN
    /// origin does not ask for one, as a real CDN would not.
    /// </summary>
    public bool RequireClientCertificate { get; set; }

    /// <summary>How requests are authenticated; anonymous by default.</summary>
    public TestRegistryAuthMode Authentication { get; set; } = TestRegistryAuthMode.Anonymous;

    /// <summary>The one account of <see cref="TestRegistryAuthMode.Basic"/> and <see cref="TestRegistryAuthMode.Bearer"/>.</summary>
    public NetworkCredential? Credential { get; set; }

    /// <summary>
    /// Lets clients without credentials pull: in bearer mode the token endpoint then hands out anonymous tokens
    /// (as Docker Hub does for public images), which grant pull only; in Basic mode a request without
    /// Authorization is served if it only reads. Wrong credentials are refused either way.
    /// </summary>
    public bool AllowAnonymousPull { get; set; }

    /// <summary>
    /// With bearer authentication, the Entra (Azure AD) access token that <c>POST /oauth2/exchange</c> accepts, as
    /// Azure Container Registry's exchange does, answering with a refresh token for the token endpoint; null turns
    /// the exchange off (404). Lets scripts that sign in with <c>Get-AzAccessToken</c> be tested without Azure.
    /// </summary>
    public string? AzureAccessToken { get; set; }

    /// <summary>How long a bearer token lives (whole seconds, at least one); five minutes by default, as Docker Hub's.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The longest request line (method, target and version) the server reads, in bytes; longer ones get 414.
    /// 64 KiB by default: far above any registry path and query, far below what could hurt the test process.
    /// </summary>
    public int MaximumRequestLineLength { get; set; } = 64 * 1024;

    /// <summary>
    /// The most bytes of request line and header fields the server reads for one request; more gets 431.
    /// 1 MiB by default, as the reference distribution server (Go's net/http default).
    /// </summary>
    public int MaximumRequestHeadersLength { get; set; } = 1024 * 1024;

    /// <summary>
    /// How long a client may take from the first byte of a request to the end of its headers before the connection is
    /// dropped (a client that trickles header lines holds nothing longer than this); 10 seconds by default.
    /// </summary>
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a connection may stay silent, between requests or within a request body or a response the client
    /// does not read, before it is dropped; 2 minutes by default.
    /// </summary>
    public TimeSpan IdleConnectionTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How many connections each listener (registry, CDN) holds open at once; more wait to be accepted. 1024 by default.</summary>
    public int MaximumConnections { get; set; } = 1024;

    /// <summary>The clock for token expiry, signed CDN URLs and the request log's timestamps.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// The most bytes one blob upload may hold, over all its requests (POST, PATCH and PUT); 2 GiB by default, at
    /// least 1. A request that would take an upload past it is answered 413 (<c>SIZE_INVALID</c>) as soon as its
    /// <c>Content-Length</c> (or, for a chunked body, the running count) says so, and the upload is dropped.
    /// </summary>
    public long MaximumUploadSize { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>
    /// How many blob uploads may be open at once; 256 by default, at least 1. Beyond it, starting one is answered
    /// 429 (<c>TOOMANYREQUESTS</c>) until another finishes, is cancelled or expires.
    /// </summary>
    public int MaximumUploads { get; set; } = 256;

    /// <summary>
    /// How long an upload may go without a request before it is dropped with its bytes (later requests for it get
    /// 404 <c>BLOB_UPLOAD_UNKNOWN</c>); ten minutes by default, at least one second. Measured on <see cref="TimeProvider"/>.
    /// </summary>
    public TimeSpan UploadIdleTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Plays Docker Hub's pull rate limit: this many manifest GETs per <see cref="RateLimitWindow"/> (HEAD is free),
    /// announced in <c>ratelimit-limit</c>, <c>ratelimit-remaining</c> and <c>docker-ratelimit-source</c> on every
    /// manifest answer, and a 429 with <c>Retry-After</c> for a GET past it. Null (the default): no limit and none of
    /// those headers. Zero refuses every manifest GET.
    /// </summary>
    public int? RateLimit { get; set; }

    /// <summary>The window of <see cref="RateLimit"/>, fixed from the server's start; six hours by default, as Docker Hub's.</summary>
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromHours(6);
}
