using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.RegularExpressions;
using OciRegistry.Core.Layout;
using OciRegistry.Core.References;
using OciRegistry.TestRegistry;
using OciRegistry.Hosting;
using OciRegistry.Output;

namespace OciRegistry.Commands;

/// <summary>
/// Start-OciTestRegistry: starts an in-process OCI registry on 127.0.0.1 for tests, serving OCI layout folders and
/// sample content and taking pushes, optionally behind authentication and with faults.
/// </summary>
/// <remarks>What users read about it is its help page, <c>src/Help/en-US/Start-OciTestRegistry.md</c>.</remarks>
[Cmdlet(VerbsLifecycle.Start, "OciTestRegistry", SupportsShouldProcess = true)]
[OutputType(typeof(OciTestRegistry))]
public sealed class StartOciTestRegistryCommand : AsyncPSCmdlet
{
    /// <summary>OCI image layout folders to serve, one repository each.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "LiteralPath")]
    public string[] Path { get; set; } = [];

    /// <summary>The repository name for the layouts; by default each folder's name.</summary>
    [Parameter]
    public string? Repository { get; set; }

    /// <summary>The TCP port; by default a free one.</summary>
    [Parameter]
    [ValidateRange(0, 65535)]
    public int Port { get; set; }

    /// <summary>Adds the built-in sample content (repository <c>samples/hello</c>) the demo uses.</summary>
    [Parameter]
    public SwitchParameter SampleContent { get; set; }

    /// <summary>Refuse pushes and deletes with 405 Method Not Allowed: a pull-only registry.</summary>
    [Parameter]
    public SwitchParameter ReadOnly { get; set; }

    /// <summary>Refuse DELETE of manifests, tags and blobs with 405 (as registries that keep everything do), while still taking pushes.</summary>
    [Parameter]
    public SwitchParameter DisableDelete { get; set; }

    /// <summary>Answer the referrers API with 404, as registries without it do, so clients use the referrers tag schema instead.</summary>
    [Parameter]
    public SwitchParameter NoReferrersApi { get; set; }

    /// <summary>
    /// Serve HTTPS (registry and CDN origin) with a certificate from a throwaway certificate authority made at start,
    /// returned as the registry's CertificateAuthority and CertificateAuthorityPath.
    /// </summary>
    [Parameter]
    public SwitchParameter Tls { get; set; }

    /// <summary>
    /// Refuse TLS clients without a certificate issued by the registry's own authority (the registry's
    /// ClientCertificate, ClientCertificatePath); implies -Tls and makes the registry speak TLS 1.2.
    /// </summary>
    [Parameter]
    public SwitchParameter RequireClientCertificate { get; set; }

    /// <summary>Faults to inject from the first request on, from New-OciTestRegistryFault.</summary>
    [Parameter]
    [ValidateNotNull]
    public OciTestRegistryFault[] Fault { get; set; } = [];

    /// <summary>
    /// Behave like an unreliable registry: every path fails once with 503, every manifest, blob and tag list
    /// request is redirected to the CDN origin, each blob's first download is cut halfway, and pulls need a bearer
    /// token (anonymous tokens unless -Credential is given). A client that retries, follows redirects,
    /// authenticates and resumes still pulls everything.
    /// </summary>
    [Parameter]
    public SwitchParameter Unreliable { get; set; }

    /// <summary>
    /// How requests authenticate: Anonymous, Basic (with -Credential) or Bearer (tokens from the registry's /token
    /// endpoint; the account gets pull, push and delete, anonymous tokens pull only). By default Bearer with
    /// -Unreliable, Basic with -Credential, Anonymous otherwise.
    /// </summary>
    [Parameter]
    [ValidateSet("Anonymous", "Basic", "Bearer")]
    public string? Authentication { get; set; }

    /// <summary>The one account that may pull and push (Basic, or Bearer through the token endpoint).</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>Let clients without credentials pull too, but not push (Bearer: anonymous tokens). Bearer without -Credential implies it.</summary>
    [Parameter]
    public SwitchParameter AllowAnonymousPull { get; set; }

    /// <summary>
    /// Plays Azure Container Registry's sign-in: POST /oauth2/exchange accepts this Entra access token and answers
    /// with a refresh token, as New-OciCredential -AzureAccessToken expects. Implies -Authentication Bearer, and no
    /// anonymous pulls unless -AllowAnonymousPull is given.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? AzureAccessToken { get; set; }

    /// <summary>How long bearer tokens live: seconds, or a TimeSpan; at least one second, five minutes by default. Short lifetimes test token refresh.</summary>
    [Parameter]
    [SecondsToTimeSpan]
    public TimeSpan? TokenLifetime { get; set; }

    /// <summary>The most bytes one blob upload may hold (2 GB by default); a request that would take an upload past it is answered 413 and the upload is dropped.</summary>
    [Parameter]
    [ValidateRange(1L, long.MaxValue)]
    public long? MaximumUploadSize { get; set; }

    /// <summary>How many blob uploads may be open at once (256 by default); starting one more is answered 429.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? MaximumUploads { get; set; }

    /// <summary>How long an upload may go without a request before it is dropped with its bytes: seconds, or a TimeSpan; at least one second, ten minutes by default.</summary>
    [Parameter]
    [SecondsToTimeSpan]
    public TimeSpan? UploadIdleTimeout { get; set; }

    /// <summary>The longest request line (method, target, version) the registry reads, in bytes; 64 KB by default, longer ones get 414.</summary>
    [Parameter]
    [ValidateRange(64, int.MaxValue)]
    public int? MaximumRequestLineLength { get; set; }

    /// <summary>The most bytes of request line and headers the registry reads for one request; 1 MB by default, more gets 431.</summary>
    [Parameter]
    [ValidateRange(64, int.MaxValue)]
    public int? MaximumRequestHeadersLength { get; set; }

    /// <summary>How long a client may take to send a request's headers before its connection is dropped: seconds, or a TimeSpan; ten seconds by default.</summary>
    [Parameter]
    [SecondsToTimeSpan]
    public TimeSpan? RequestHeadersTimeout { get; set; }

    /// <summary>How long a connection may stay silent (between requests, within a body, or not reading a response) before it is dropped: seconds, or a TimeSpan; two minutes by default.</summary>
    [Parameter]
    [SecondsToTimeSpan]
    public TimeSpan? IdleConnectionTimeout { get; set; }

    /// <summary>How many connections the registry, and its CDN origin, each hold open at once; 1024 by default, more wait to be accepted.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? MaximumConnections { get; set; }

    /// <summary>Plays Docker Hub's pull rate limit: this many manifest GETs per -RateLimitWindow (HEAD is free), stated in ratelimit-* headers, then 429.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? RateLimit { get; set; }

    /// <summary>The window of -RateLimit, from the registry's start: seconds, or a TimeSpan; six hours by default.</summary>
    [Parameter]
    [SecondsToTimeSpan]
    public TimeSpan? RateLimitWindow { get; set; }

    private readonly List<string> _layouts = [];

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        foreach (var path in Path)
        {
            _layouts.AddRange(GetResolvedProviderPathFromPSPath(path, out _));
        }
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        if (Repository is not null && _layouts.Count > 1)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("-Repository names one repository; give one -Path with it."), ErrorIds.RepositoryNameAmbiguous, ErrorCategory.InvalidArgument, Repository));
        }

        var options = BuildOptions();
        var scheme = options.Tls ? "https" : "http";
        var target = $"{scheme}://127.0.0.1:{(Port == 0 ? "<free port>" : Port.ToString(System.Globalization.CultureInfo.InvariantCulture))}/";
        if (!ShouldProcess(target, "Start a test registry"))
        {
            return;
        }

        TestRegistryServer? server = null;
        RunAsync(async ct => server = await TestRegistryServer.StartAsync(options, ct).ConfigureAwait(false));
        if (server is null)
        {
            // RunAsync has written why it did not start.
            return;
        }

        try
        {
            server!.Faults.AddRange((Unreliable.IsPresent ? FaultPresets.Unreliable : []).Concat(Fault.Select(f => f.Rule)));
            if (SampleContent.IsPresent)
            {
                TestRegistry.SampleContent.AddTo(server!.Content);
            }

            foreach (var layout in _layouts)
            {
                var repository = Repository ?? RepositoryNameFor(layout);
                var tags = server!.Content.AddLayout(layout, repository);
                WriteVerbose($"Serving {layout} as {repository} with tags: {string.Join(", ", tags)}");
            }
        }
        catch (Exception e)
        {
            server!.Dispose();
            ThrowTerminatingError(new ErrorRecord(e, e is ArgumentException ? ErrorIds.InvalidRepositoryName : ErrorIds.LayoutUnreadable, ErrorCategory.InvalidData, _layouts.FirstOrDefault()));
        }

        WriteObject(new OciTestRegistry(server!));
    }

    private TestRegistryOptions BuildOptions()
    {
        var credential = Credential is null || Credential == PSCredential.Empty ? null : Credential.GetNetworkCredential();
        var mode = Authentication is not null
            ? (TestRegistryAuthMode)Enum.Parse(typeof(TestRegistryAuthMode), Authentication, ignoreCase: true)
            : Unreliable.IsPresent || AzureAccessToken is not null ? TestRegistryAuthMode.Bearer
            : credential is not null ? TestRegistryAuthMode.Basic
            : TestRegistryAuthMode.Anonymous;
        if (mode == TestRegistryAuthMode.Basic && credential is null)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("Basic authentication needs the account: pass -Credential."), ErrorIds.CredentialRequired, ErrorCategory.InvalidArgument, Authentication));
        }

        if (AzureAccessToken is not null && mode != TestRegistryAuthMode.Bearer)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("-AzureAccessToken plays ACR's token exchange, which needs -Authentication Bearer."), ErrorIds.CredentialRequired, ErrorCategory.InvalidArgument, Authentication));
        }

        if (TokenLifetime < TimeSpan.FromSeconds(1))
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("-TokenLifetime must be at least one second: tokens expire in whole seconds."), ErrorIds.InvalidTokenLifetime, ErrorCategory.InvalidArgument, TokenLifetime));
        }

        if (UploadIdleTimeout < TimeSpan.FromSeconds(1))
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("-UploadIdleTimeout must be at least one second."), ErrorIds.InvalidUploadIdleTimeout, ErrorCategory.InvalidArgument, UploadIdleTimeout));
        }

        if (RateLimitWindow < TimeSpan.FromSeconds(1))
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("-RateLimitWindow must be at least one second: the headers state it in whole seconds."), ErrorIds.InvalidRateLimitWindow, ErrorCategory.InvalidArgument, RateLimitWindow));
        }

        foreach (var (name, timeout) in new[] { ("RequestHeadersTimeout", RequestHeadersTimeout), ("IdleConnectionTimeout", IdleConnectionTimeout) })
        {
            if (timeout < TimeSpan.FromSeconds(1))
            {
                ThrowTerminatingError(new ErrorRecord(new ArgumentException($"-{name} must be at least one second."), ErrorIds.InvalidConnectionTimeout, ErrorCategory.InvalidArgument, timeout));
            }
        }

        if (MaximumRequestLineLength > MaximumRequestHeadersLength)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("-MaximumRequestLineLength cannot be larger than -MaximumRequestHeadersLength: the request line is part of the head."), ErrorIds.InvalidRequestLimits, ErrorCategory.InvalidArgument, MaximumRequestLineLength));
        }

        var options = new TestRegistryOptions
        {
            Port = Port,
            ReadOnly = ReadOnly.IsPresent,
            AllowDelete = !DisableDelete.IsPresent,
            ReferrersApi = !NoReferrersApi.IsPresent,
            Tls = Tls.IsPresent || RequireClientCertificate.IsPresent,
            RequireClientCertificate = RequireClientCertificate.IsPresent,
            Authentication = mode,
            Credential = credential,
            AllowAnonymousPull = AllowAnonymousPull.IsPresent || (mode == TestRegistryAuthMode.Bearer && credential is null && AzureAccessToken is null),
            AzureAccessToken = AzureAccessToken,
        };
        options.TokenLifetime = TokenLifetime ?? options.TokenLifetime;
        options.MaximumUploadSize = MaximumUploadSize ?? options.MaximumUploadSize;
        options.MaximumUploads = MaximumUploads ?? options.MaximumUploads;
        options.UploadIdleTimeout = UploadIdleTimeout ?? options.UploadIdleTimeout;
        options.MaximumRequestHeadersLength = MaximumRequestHeadersLength ?? options.MaximumRequestHeadersLength;
        options.MaximumRequestLineLength = MaximumRequestLineLength ?? Math.Min(options.MaximumRequestLineLength, options.MaximumRequestHeadersLength);
        options.RequestHeadersTimeout = RequestHeadersTimeout ?? options.RequestHeadersTimeout;
        options.IdleConnectionTimeout = IdleConnectionTimeout ?? options.IdleConnectionTimeout;
        options.MaximumConnections = MaximumConnections ?? options.MaximumConnections;
        options.RateLimit = RateLimit;
        options.RateLimitWindow = RateLimitWindow ?? options.RateLimitWindow;
        return options;
    }

    private static string RepositoryNameFor(string layout)
    {
        var name = System.IO.Path.GetFileName(layout.TrimEnd(System.IO.Path.DirectorySeparatorChar, System.IO.Path.AltDirectorySeparatorChar)).ToLowerInvariant();
        name = Regex.Replace(name, "[^a-z0-9._-]+", "-").Trim('.', '_', '-');
        return Reference.IsValidRepository(name)
            ? name
            : throw new ArgumentException($"The folder name of '{layout}' is not a usable repository name; pass -Repository.");
    }
}
