using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Security.Cryptography.X509Certificates;

namespace OciRegistry.Core.Client;

/// <summary>Settings for a <see cref="RegistryClient"/>.</summary>
public sealed class ClientOptions
{
    /// <summary>Credentials to use; when null, stored credentials are looked up (see <see cref="UseDockerConfig"/>).</summary>
    public RegistryCredential? Credential { get; set; }

    /// <summary>
    /// Whether to look up stored credentials when <see cref="Credential"/> is null: Docker's config.json with its
    /// credential helpers (<c>credHelpers</c>, <c>credsStore</c>) and <c>auths</c>, then the containers auth files
    /// (<see cref="ContainersAuthPaths"/>). The lookup runs when a registry first asks for credentials.
    /// </summary>
    public bool UseDockerConfig { get; set; } = true;

    /// <summary>A config.json to read instead of <c>$DOCKER_CONFIG/config.json</c> or <c>~/.docker/config.json</c>.</summary>
    public string? DockerConfigPath { get; set; }

    /// <summary>
    /// The containers auth files (podman, skopeo) to read, in order, when Docker's config has nothing for the
    /// registry. Null reads <c>$REGISTRY_AUTH_FILE</c>, <c>$XDG_RUNTIME_DIR/containers/auth.json</c> and
    /// <c>$XDG_CONFIG_HOME/containers/auth.json</c> (default <c>~/.config/containers/auth.json</c>); empty reads none.
    /// </summary>
    public IReadOnlyList<string>? ContainersAuthPaths { get; set; }

    /// <summary>How long a Docker credential helper may take to answer before it is killed and skipped with a warning.</summary>
    public TimeSpan CredentialHelperTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Receives warnings meant for the user: a credential helper that was missing, failed or timed out, and the
    /// <c>Warning</c> headers registries send. The core never logs; the host decides how to show them.
    /// </summary>
    public Action<string>? Warning { get; set; }

    /// <summary>Where credential helpers are looked for instead of <c>PATH</c> (a test seam).</summary>
    internal string? CredentialHelperSearchPath { get; set; }

    /// <summary>Use plain HTTP for a registry that is not on this machine (loopback registries use HTTP by default).</summary>
    public bool AllowInsecure { get; set; }

    /// <summary>
    /// HTTPS or HTTP whatever the host; null chooses: HTTPS, except HTTP for this machine's addresses and with
    /// <see cref="AllowInsecure"/>. A TLS registry behind a loopback tunnel (kubectl port-forward) needs Https.
    /// </summary>
    public RegistryScheme? Scheme { get; set; }

    /// <summary>
    /// The proxy to use for every request, this machine's addresses included; null uses the system's (on .NET the
    /// HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY variables), which never proxies loopback.
    /// </summary>
    public Uri? Proxy { get; set; }

    /// <summary>Credentials for the proxy (Basic); never printed.</summary>
    public System.Net.NetworkCredential? ProxyCredential { get; set; }

    /// <summary>Connect directly, whatever the environment says.</summary>
    public bool NoProxy { get; set; }

    /// <summary>
    /// Mirrors to pull manifests and blobs through before the registry itself, in order: <c>host[:port]</c>, or a
    /// URL (<c>https://mirror.gcr.io</c>, <c>http://localhost:5001</c>) to fix the scheme. Each gets the stored
    /// credentials of its own host, never <see cref="Credential"/>, and no retries.
    /// </summary>
    public IReadOnlyList<string>? Mirrors { get; set; }

    /// <summary>Accept any TLS certificate. For test registries with self-signed certificates only.</summary>
    public bool SkipCertificateCheck { get; set; }

    /// <summary>
    /// Certificate authorities trusted for this registry in addition to the system's (a company CA). They anchor a
    /// chain that is otherwise valid; they never excuse a wrong name or an expired certificate.
    /// </summary>
    public IList<X509Certificate2> CertificateAuthorities { get; set; } = new List<X509Certificate2>();

    /// <summary>A client certificate with its private key, for registries that require mutual TLS.</summary>
    public X509Certificate2? ClientCertificate { get; set; }

    /// <summary>
    /// The <c>certs.d</c> folders to look in for this registry's certificate authorities and client certificate
    /// (<see cref="Tls.CertsDirectory"/>). Null looks in the defaults (or <c>OCIREGISTRY_CERTS_D</c>); empty in none.
    /// </summary>
    public IReadOnlyList<string>? CertsDirectories { get; set; }

    /// <summary>The User-Agent header.</summary>
    public string UserAgent { get; set; } = "OciRegistry/" + typeof(ClientOptions).Assembly.GetName().Version?.ToString(3);

    /// <summary>
    /// How long one attempt may wait for the response headers (connecting, TLS, and the registry's answer) before
    /// it counts as a network failure and is retried. <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> waits
    /// for ever. Invoke-WebRequest calls the same limit <c>-ConnectionTimeoutSeconds</c>.
    /// </summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a body may stay silent (no bytes) before the attempt counts as a network failure and is retried or
    /// resumed. There is no whole-transfer timeout: a slow but moving transfer is never cut.
    /// <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> waits for ever. Invoke-WebRequest calls the same limit
    /// <c>-OperationTimeoutSeconds</c>.
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The cap for manifests read into memory.</summary>
    public long MaxManifestBytes { get; set; } = Limits.ManifestBytes;

    /// <summary>Retry behaviour.</summary>
    public RetryOptions Retry { get; set; } = new();

    /// <summary>The clock, for backoff waits and token expiry; tests inject their own.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Receives each step of the HTTP conversation, redacted; for verbose output.</summary>
    public Action<HttpTraceEvent>? Trace { get; set; }

    /// <summary>
    /// The handler that talks to the network. Null builds an <see cref="HttpClientHandler"/> that follows no
    /// redirects itself (ours do, so that <c>Authorization</c> never crosses origins). A test seam.
    /// </summary>
    public HttpMessageHandler? PrimaryHandler { get; set; }
}
