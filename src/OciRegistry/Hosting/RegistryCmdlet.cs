using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.Client;
using OciRegistry.Core.Tls;

namespace OciRegistry.Hosting;

/// <summary>
/// The base of cmdlets that talk to registries: the connection parameters, and one client per registry for the
/// whole pipeline so that tokens and connections are reused across items.
/// </summary>
public abstract class RegistryCmdlet : AsyncPSCmdlet
{
    private readonly Dictionary<string, RegistryClient> _clients = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _warned = new(StringComparer.Ordinal);

    /// <summary>
    /// Credentials for the registry. Without them, stored credentials are used: Docker's config.json (its credential
    /// helpers, then <c>auths</c>), then podman's auth.json; else anonymous access.
    /// </summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>Use plain HTTP for a registry that is not on this machine (loopback registries use HTTP anyway).</summary>
    [Parameter]
    public SwitchParameter AllowInsecure { get; set; }

    /// <summary>
    /// Https or Http whatever the host. Without it: HTTPS, except plain HTTP for this machine's addresses and with
    /// -AllowInsecure; a TLS registry reached through localhost (a port-forward, a tunnel) needs -Scheme Https.
    /// </summary>
    [Parameter]
    [ValidateSet("Https", "Http")]
    public string? Scheme { get; set; }

    /// <summary>
    /// A proxy for every request, named as Invoke-WebRequest names it (http://host:port). Without it the system's
    /// (HTTPS_PROXY, HTTP_PROXY, NO_PROXY) is used, which never proxies this machine's addresses.
    /// </summary>
    [Parameter]
    [ValidateNotNull]
    public Uri? Proxy { get; set; }

    /// <summary>Credentials for the proxy; never printed.</summary>
    [Parameter]
    [Credential]
    public PSCredential? ProxyCredential { get; set; }

    /// <summary>Connects directly, whatever HTTPS_PROXY and HTTP_PROXY say.</summary>
    [Parameter]
    public SwitchParameter NoProxy { get; set; }

    /// <summary>Accept any TLS certificate (self-signed test registries).</summary>
    [Parameter]
    public SwitchParameter SkipCertificateCheck { get; set; }

    /// <summary>
    /// Retries after the first attempt of a request that failed transiently (a reset, a 5xx, a 429); 0 turns
    /// retrying off. Named as Invoke-WebRequest names it.
    /// </summary>
    [Parameter]
    [ValidateRange(0, 100)]
    public int MaximumRetryCount { get; set; } = new RetryOptions().MaxRetries;

    /// <summary>
    /// The first wait between retries, in seconds, doubled on each further retry (with jitter, and at least what a
    /// Retry-After header asks for). Invoke-WebRequest waits the same interval every time instead.
    /// </summary>
    [Parameter]
    [ValidateRange(0.0, 600.0)]
    public double RetryIntervalSec { get; set; } = new RetryOptions().BaseDelay.TotalSeconds;

    /// <summary>
    /// Certificate authorities to trust for the registry besides the system's: paths to PEM bundles or DER files,
    /// or X509Certificate2 objects. <c>certs.d/&lt;host:port&gt;/*.crt</c> is read as well.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public object[]? CertificateAuthority { get; set; }

    /// <summary>A client certificate with its private key (from <c>Cert:\CurrentUser\My</c>, or loaded), for mutual TLS.</summary>
    [Parameter]
    public X509Certificate2? Certificate { get; set; }

    /// <summary>A client certificate file: a PFX/P12, or a PEM certificate followed by its PEM key file.</summary>
    [Parameter]
    [ValidateCount(1, 2)]
    [ValidateNotNullOrEmpty]
    public string[]? CertificatePath { get; set; }

    /// <summary>The password of the PFX file <c>-CertificatePath</c> names.</summary>
    [Parameter]
    public SecureString? CertificatePassword { get; set; }

    private (List<X509Certificate2> Authorities, X509Certificate2? Client)? _tls;

    /// <summary>
    /// Reads the certificate files given, before any request, on the pipeline thread (paths are resolved against the
    /// current location); a file that cannot be used stops the cmdlet. Cmdlets that override this call it.
    /// </summary>
    protected override void BeginProcessing()
    {
        if (Proxy is not null && NoProxy.IsPresent)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("Give -Proxy or -NoProxy, not both."), ErrorIds.ProxyAndNoProxy, ErrorCategory.InvalidArgument, Proxy));
        }

        if (Proxy is not null && !(Proxy.IsAbsoluteUri && Proxy.Scheme is "http" or "https"))
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException($"-Proxy takes an absolute http:// address, such as http://proxy.corp:3128, not '{UrlRedactor.Redact(Proxy.OriginalString)}'."), ErrorIds.InvalidProxy, ErrorCategory.InvalidArgument, null));
        }

        try
        {
            var authorities = new List<X509Certificate2>();
            foreach (var item in CertificateAuthority ?? [])
            {
                switch (item is PSObject wrapped ? wrapped.BaseObject : item)
                {
                    case X509Certificate2 certificate:
                        authorities.Add(certificate);
                        break;
                    case string path:
                        authorities.AddRange(CertificateFiles.ReadAuthorities(GetUnresolvedProviderPathFromPSPath(path)));
                        break;
                    case System.IO.FileInfo file:
                        authorities.AddRange(CertificateFiles.ReadAuthorities(file.FullName));
                        break;
                    default:
                        throw new CertificateFileException(item?.ToString() ?? "(null)", "-CertificateAuthority takes paths to certificate files or X509Certificate2 objects");
                }
            }

            var client = Certificate;
            if (CertificatePath is { Length: > 0 } paths)
            {
                client = CertificateFiles.ReadClientCertificate(GetUnresolvedProviderPathFromPSPath(paths[0]), paths.Length > 1 ? GetUnresolvedProviderPathFromPSPath(paths[1]) : null, CertificatePassword);
            }

            if (client is not null && !client.HasPrivateKey)
            {
                throw new CertificateFileException(client.Subject, "the client certificate has no private key here; use one from Cert:\\CurrentUser\\My with its key, or a PFX");
            }

            _tls = (authorities, client);
        }
        catch (CertificateFileException e)
        {
            ThrowTerminatingError(ErrorMapping.ToErrorRecord(e, e.Path, ErrorSubject.Manifest));
        }
    }

    /// <summary>
    /// How long one attempt may wait for the registry's response headers (connecting included) before it counts as
    /// dropped and is retried; 0 waits for ever. Named as Invoke-WebRequest names it (alias TimeoutSec).
    /// </summary>
    [Parameter]
    [Alias("TimeoutSec")]
    [ValidateRange(0, 86400)]
    public int ConnectionTimeoutSeconds { get; set; } = (int)new ClientOptions().ResponseTimeout.TotalSeconds;

    /// <summary>
    /// How long a response body may stay silent before the transfer counts as dropped and is retried or resumed; 0
    /// waits for ever. A slow transfer that keeps moving is never cut. Named as Invoke-WebRequest names it.
    /// </summary>
    [Parameter]
    [ValidateRange(0, 86400)]
    public int OperationTimeoutSeconds { get; set; } = (int)new ClientOptions().IdleTimeout.TotalSeconds;

    /// <summary>
    /// The client options the connection parameters ask for; Tab completion builds its clients the same way from
    /// the switches already typed, so that it reaches a registry as the command will.
    /// </summary>
    internal static ClientOptions Connection(bool allowInsecure, bool skipCertificateCheck, PSCredential? credential)
    {
        var options = new ClientOptions { AllowInsecure = allowInsecure, SkipCertificateCheck = skipCertificateCheck };
        if (credential is not null && credential != PSCredential.Empty)
        {
            // User <token> marks an identity token, as docker's credential helpers write it (New-OciCredential -AzureAccessToken).
            options.Credential = credential.UserName == CloudTokens.IdentityTokenUserName
                ? RegistryCredential.FromIdentityToken(credential.GetNetworkCredential().Password)
                : RegistryCredential.FromPassword(credential.UserName, credential.GetNetworkCredential().Password);
        }

        return options;
    }

    /// <summary>The client for <paramref name="registry"/>, created on first use.</summary>
    protected RegistryClient ClientFor(string registry) => ClientFor(registry, Credential);

    /// <summary>
    /// The client for <paramref name="registry"/> speaking with <paramref name="credential"/> (Copy-OciImage's source
    /// and destination may need different ones); one per registry and credential for the cmdlet's lifetime.
    /// </summary>
    protected RegistryClient ClientFor(string registry, PSCredential? credential)
    {
        var key = ReferenceEquals(credential, Credential) ? registry : registry + "\n" + credential?.UserName;
        lock (_clients)
        {
            if (!_clients.TryGetValue(key, out var client))
            {
                var options = Connection(AllowInsecure.IsPresent, SkipCertificateCheck.IsPresent, credential);
                options.Trace = e =>
                {
                    if (e.Kind == HttpTraceKind.ErrorBody)
                    {
                        QueueDebug(e.ToString());
                    }
                    else
                    {
                        QueueVerbose(e.ToString());
                    }
                };
                options.Warning = QueueWarningOnce;
                options.Retry.MaxRetries = MaximumRetryCount;
                options.Retry.BaseDelay = TimeSpan.FromSeconds(RetryIntervalSec);
                if (_tls is { } tls)
                {
                    options.CertificateAuthorities = tls.Authorities;
                    options.ClientCertificate = tls.Client;
                }

                ApplyConfiguration(registry, options);
                options.Proxy = Proxy;
                options.NoProxy = NoProxy.IsPresent;
                if (ProxyCredential is not null && ProxyCredential != PSCredential.Empty)
                {
                    options.ProxyCredential = ProxyCredential.GetNetworkCredential();
                }

                if (Scheme is not null)
                {
                    options.Scheme = (RegistryScheme)Enum.Parse(typeof(RegistryScheme), Scheme, ignoreCase: true);
                }
                options.ResponseTimeout = Seconds(ConnectionTimeoutSeconds);
                options.IdleTimeout = Seconds(OperationTimeoutSeconds);
                client = new RegistryClient(registry, options);
                _clients[key] = client;
                if (client.ProxyAddress is { } proxy)
                {
                    QueueVerbose($"{registry} is reached through the proxy {proxy}");
                }
            }

            return client;
        }
    }

    /// <summary>
    /// What the user's registry configuration (Set-OciRegistryConfig, Docker's daemon.json mirrors) says about
    /// <paramref name="registry"/>: mirrors, plain HTTP, the scheme and certificate authorities. Parameters given
    /// win; a configuration that cannot be read is a warning, not a failure.
    /// </summary>
    private void ApplyConfiguration(string registry, ClientOptions options)
    {
        RegistrySettings? settings;
        try
        {
            settings = RegistryConfiguration.For(registry);
        }
        catch (RegistryConfigurationException e)
        {
            QueueWarningOnce(e.Message + "; it is ignored.");
            return;
        }

        if (settings is null)
        {
            return;
        }

        if (settings.Mirrors.Count > 0)
        {
            options.Mirrors = settings.Mirrors;
            var shown = settings.Mirrors.Select(m => MirrorEndpoint.TryParse(m, out var endpoint, out _) ? endpoint!.ToString() : "(an entry that is skipped)");
            QueueVerbose($"{registry} is pulled through the mirror(s) {string.Join(", ", shown)} first ({settings.Source})");
        }

        if (settings.Insecure == true && !AllowInsecure.IsPresent && Scheme is null)
        {
            // Said every time it happens: a file, not the command line, took TLS away from this registry.
            options.AllowInsecure = true;
            QueueWarningOnce($"{registry} is spoken to over plain HTTP, as {settings.Source} marks it insecure: tags, digests and tokens travel unprotected.");
        }

        if (Scheme is null && settings.Scheme is { } scheme)
        {
            options.Scheme = scheme;
        }

        if (options.ClientCertificate is null && settings.ClientCertificate.Count > 0)
        {
            try
            {
                options.ClientCertificate = CertificateFiles.ReadClientCertificate(settings.ClientCertificate[0], settings.ClientCertificate.Count > 1 ? settings.ClientCertificate[1] : null);
            }
            catch (CertificateFileException e)
            {
                QueueWarningOnce(e.Message + $" (from {settings.Source}); it is skipped.");
            }
        }

        foreach (var file in settings.CertificateAuthority)
        {
            try
            {
                options.CertificateAuthorities = [.. options.CertificateAuthorities, .. CertificateFiles.ReadAuthorities(file)];
            }
            catch (CertificateFileException e)
            {
                QueueWarningOnce(e.Message + $" (from {settings.Source}); it is skipped.");
            }
        }
    }

    private static TimeSpan Seconds(int seconds) => seconds == 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(seconds);

    /// <summary>
    /// Writes each item of a registry listing (tags, repositories, referrers) as it arrives, page by page; a
    /// failure becomes an error record about <paramref name="target"/>.
    /// </summary>
    protected async Task StreamAsync<T>(
        string registry,
        Func<RegistryClient, CancellationToken, IAsyncEnumerable<T>> list,
        Func<T, object> toOutput,
        object target,
        ErrorSubject subject,
        CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var item in list(ClientFor(registry), cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                QueueObject(toOutput(item));
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            QueueFailure(e, target, subject);
        }
    }

    /// <summary>
    /// Whether to draw progress bars: not when <c>$ProgressPreference</c> is SilentlyContinue, and not in CI or with
    /// redirected output, where redraws become noise and a verbose line per item says more.
    /// </summary>
    protected bool ShouldShowProgress() => Progress() == ProgressStyle.Bars;

    /// <summary>
    /// How to show progress: bars at a terminal; in CI or with redirected output, where bars are lost, a few plain
    /// lines (<see cref="TransferLogView"/>); nothing when <c>$ProgressPreference</c> is SilentlyContinue or Ignore.
    /// </summary>
    protected ProgressStyle Progress()
    {
        var preference = SessionState.PSVariable.GetValue("ProgressPreference");
        var text = preference?.ToString();
        if (string.Equals(text, "SilentlyContinue", StringComparison.OrdinalIgnoreCase) || string.Equals(text, "Ignore", StringComparison.OrdinalIgnoreCase))
        {
            return ProgressStyle.None;
        }

        var ci = Environment.GetEnvironmentVariable("CI") is { Length: > 0 } || Environment.GetEnvironmentVariable("TF_BUILD") is { Length: > 0 };
        return ci || Console.IsOutputRedirected ? ProgressStyle.Lines : ProgressStyle.Bars;
    }

    /// <summary>
    /// Queues a warning unless this invocation has shown the same text already: a registry repeats its
    /// <c>Warning</c> header on every response, and a pipeline of a hundred items should still warn once.
    /// </summary>
    protected void QueueWarningOnce(string text)
    {
        lock (_warned)
        {
            if (!_warned.Add(text))
            {
                return;
            }
        }

        QueueWarning(text);
    }

    /// <summary>Writes <paramref name="exception"/> as a non-terminating error about <paramref name="target"/>.</summary>
    protected void QueueFailure(Exception exception, object? target, ErrorSubject subject) =>
        QueueError(ErrorMapping.ToErrorRecord(exception, target, subject));

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_clients)
            {
                foreach (var client in _clients.Values)
                {
                    client.Dispose();
                }

                _clients.Clear();
            }
        }

        base.Dispose(disposing);
    }
}
