using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;
using OciRegistry.Core.Tls;

namespace OciRegistry.Core.Client;

/// <summary>
/// A client for one registry: one <see cref="HttpClient"/> over the handler chain
/// user agent → retry → auth → redirect → warnings → trace → idle timeout → network.
/// </summary>
/// <remarks>API: https://github.com/opencontainers/distribution-spec/blob/main/spec.md.</remarks>
public sealed partial class RegistryClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly HttpMessageInvoker? _probe;
    private readonly List<RegistryClient>? _mirrors;
    private readonly ClientOptions _options;

    /// <summary>Creates a client for <paramref name="registry"/> (as in a reference: <c>docker.io</c>, <c>localhost:5000</c>).</summary>
    public RegistryClient(string registry, ClientOptions? options = null)
    {
        if (string.IsNullOrEmpty(registry))
        {
            throw new ArgumentException("A registry is required.", nameof(registry));
        }

        _options = options ?? new ClientOptions();
        Registry = registry;
        var scheme = _options.Scheme switch
        {
            RegistryScheme.Https => "https",
            RegistryScheme.Http => "http",
            _ => _options.AllowInsecure || Reference.IsLoopbackRegistry(registry) ? "http" : "https",
        };
        BaseAddress = new Uri($"{scheme}://{Reference.EndpointFor(registry)}/");
        var credentials = _options.Credential is not null || !_options.UseDockerConfig
            ? CredentialSource.Fixed(_options.Credential)
            : CredentialSource.Stored(
                new StoredCredentials(registry, _options.DockerConfigPath, _options.ContainersAuthPaths, _options.CredentialHelperTimeout, _options.CredentialHelperSearchPath),
                _options.Warning,
                _options.Trace);
        HttpMessageHandler handler;
        LoopbackSchemeHandler? schemeProbe = null;
        if (_options.PrimaryHandler is { } primary)
        {
            handler = new IdleTimeoutHandler(_options.ResponseTimeout, _options.IdleTimeout) { InnerHandler = primary };
        }
        else
        {
            var proxy = LoopbackBypassProxy.For(_options);
            ProxyAddress = LoopbackBypassProxy.Through(proxy, BaseAddress) is { } through
                ? new UriBuilder(through) { UserName = string.Empty, Password = string.Empty }.Uri
                : null;
            var (certsAuthorities, certsClient, _) = CertsDirectory.Read(registry, _options.CertsDirectories ?? CertsDirectory.DefaultRoots(), _options.Warning);
            var clientCertificate = _options.ClientCertificate ?? certsClient;
            var check = new ServerCertificateCheck(_options.CertificateAuthorities.Concat(certsAuthorities).ToList());
            HttpMessageHandler network = CreatePrimaryHandler(_options, proxy, check, clientCertificate);
            if (clientCertificate is not null)
            {
                network = new OriginSplitHandler(BaseAddress, network, CreatePrimaryHandler(_options, proxy, check, clientCertificate: null));
            }

            handler = new IdleTimeoutHandler(_options.ResponseTimeout, _options.IdleTimeout) { InnerHandler = network };
            handler = new TlsNoteHandler(clientCertificate is not null) { InnerHandler = handler };
            if (proxy is not null)
            {
                handler = new ProxyNoteHandler(proxy) { InnerHandler = handler };
            }

            if (_options.Scheme is null && !_options.AllowInsecure && Reference.IsLoopbackRegistry(registry))
            {
                // Shares the network end of the chain: the TLS attempt is not traced, the request that follows is.
                _probe = new HttpMessageInvoker(handler, disposeHandler: false);
                schemeProbe = new LoopbackSchemeHandler(_probe, _options.TimeProvider);
            }
        }

        if (_options.Trace is { } trace)
        {
            handler = new TraceHandler(trace) { InnerHandler = handler };
        }

        if (schemeProbe is not null)
        {
            schemeProbe.InnerHandler = handler;
            handler = schemeProbe;
        }

        if (_options.Warning is { } warning)
        {
            handler = new WarningHandler(warning) { InnerHandler = handler };
        }

        handler = new RedirectHandler(_options.Trace) { InnerHandler = handler };
        handler = new AuthenticationHandler(credentials, _options.TimeProvider, _options.Trace) { InnerHandler = handler };
        Backoff = new Backoff(_options.Retry, _options.TimeProvider);
        handler = new RetryHandler(Backoff, _options.Trace) { InnerHandler = handler };
        handler = new UserAgentHandler(_options.UserAgent) { InnerHandler = handler };
        if (_options.Mirrors is { Count: > 0 } mirrors && _options.PrimaryHandler is null)
        {
            var clients = new List<(RegistryClient Client, string Namespace)>();
            foreach (var mirror in mirrors)
            {
                if (MirrorEndpoint.TryParse(mirror, out var endpoint, out var problem))
                {
                    clients.Add(MirrorClient(endpoint!, _options));
                }
                else
                {
                    _options.Warning?.Invoke($"A mirror of {registry} is skipped: {problem} ('{UrlRedactor.Redact(mirror)}').");
                }
            }

            _mirrors = clients.Select(c => c.Client).ToList();
            handler = new MirrorHandler(clients, _options.Trace) { InnerHandler = handler };
        }

        _http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>This client's HTTP end, for the handler that pulls through mirrors.</summary>
    internal HttpClient Http => _http;

    /// <summary>
    /// A client for one mirror: the same TLS, proxy and timeout settings, the stored credentials of the mirror's
    /// own host (never the registry's), no retries (the next endpoint is the retry), no mirrors of its own.
    /// </summary>
    private static (RegistryClient Client, string Namespace) MirrorClient(MirrorEndpoint mirror, ClientOptions options)
    {
        return (new RegistryClient(mirror.Registry, new ClientOptions
        {
            UseDockerConfig = options.UseDockerConfig,
            DockerConfigPath = options.DockerConfigPath,
            ContainersAuthPaths = options.ContainersAuthPaths,
            CredentialHelperTimeout = options.CredentialHelperTimeout,
            Warning = options.Warning,
            Trace = options.Trace,
            Scheme = mirror.Scheme,
            // Not SkipCertificateCheck: switching checks off for one registry must not switch them off for its mirrors.
            CertificateAuthorities = options.CertificateAuthorities,
            CertsDirectories = options.CertsDirectories,
            Proxy = options.Proxy,
            ProxyCredential = options.ProxyCredential,
            NoProxy = options.NoProxy,
            UserAgent = options.UserAgent,
            ResponseTimeout = options.ResponseTimeout,
            IdleTimeout = options.IdleTimeout,
            MaxManifestBytes = options.MaxManifestBytes,
            Retry = new RetryOptions { MaxRetries = 0 },
            TimeProvider = options.TimeProvider,
        }), mirror.Namespace);
    }

    /// <summary>The registry name this client talks to.</summary>
    public string Registry { get; }

    /// <summary>The API base, e.g. <c>https://registry-1.docker.io/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The proxy requests to <see cref="BaseAddress"/> go through (without user info), or null when direct.</summary>
    public Uri? ProxyAddress { get; }

    /// <summary>
    /// Fetches the manifest or index <paramref name="reference"/> names. With a digest, the bytes are verified
    /// against it; by tag, against <c>Docker-Content-Digest</c> when the registry sends one.
    /// </summary>
    public async Task<ManifestDocument> GetManifestAsync(Reference reference, CancellationToken cancellationToken = default)
    {
        CheckRegistry(reference);
        var request = new CappedRequest(ContentKind.Manifest, "manifest", _options.MaxManifestBytes) { Accept = MediaTypes.ManifestAccept };
        var response = await GetCappedAsync(Url(reference.Repository, "manifests/" + reference.Identifier), request, cancellationToken).ConfigureAwait(false);
        var actual = VerifiedManifestDigest(reference, response);
        var document = ManifestParser.Parse(response.Body, response.MediaType, actual, reference);
        document.ServedBy = response.ServedBy;
        return document;
    }

    /// <summary>
    /// The digest of a manifest's bytes, checked against the reference's digest, else against
    /// <c>Docker-Content-Digest</c> when the registry sends a valid one.
    /// </summary>
    private static Digest VerifiedManifestDigest(Reference reference, CappedResponse response)
    {
        var bytes = response.Body;
        var expected = reference.Digest ?? AnnouncedDigest(response.Headers);
        var actual = expected?.ComputeSame(bytes) ?? Digest.Compute(bytes);
        if (expected is not null && actual != expected)
        {
            throw new ContentVerificationException(ContentKind.Manifest, $"the manifest {reference}", expected, actual);
        }

        return actual;
    }

    /// <summary>The <c>Docker-Content-Digest</c> of a response; null when it is missing or not a digest.</summary>
    private static Digest? AnnouncedDigest(HttpResponseHeaders headers) =>
        headers.TryGetValues("Docker-Content-Digest", out var values) && Digest.TryParse(values.FirstOrDefault(), out var announced, out _)
            ? announced
            : null;

    /// <summary>
    /// Resolves an index to the manifest for <paramref name="platform"/>; a single image manifest is returned when
    /// its config declares that platform.
    /// Fails with <see cref="PlatformNotFoundException"/> naming the platforms the index has.
    /// </summary>
    public async Task<ManifestDocument> GetManifestForPlatformAsync(ManifestDocument document, Platform platform, CancellationToken cancellationToken = default)
    {
        if (document is ImageManifest single)
        {
            await CheckImagePlatformAsync(single, platform, cancellationToken).ConfigureAwait(false);
            return single;
        }

        if (document is not ImageIndex index)
        {
            return document;
        }

        // Attestations (BuildKit's unknown/unknown entries) are not images: never chosen, never listed as a platform.
        var match = SelectPlatform(index, platform);

        var source = index.Source ?? throw new ArgumentException("The index does not know where it came from.", nameof(document));
        return await GetManifestAsync(source.AtDigest(match.Digest), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The entry of <paramref name="index"/> for <paramref name="platform"/>, without fetching it; fails with
    /// <see cref="PlatformNotFoundException"/> naming the platforms the index has. Attestations are never chosen.
    /// </summary>
    public static Descriptor SelectPlatform(ImageIndex index, Platform platform)
    {
        if (index is null)
        {
            throw new ArgumentNullException(nameof(index));
        }

        return PlatformManifests.Select(index, platform)
            ?? throw new PlatformNotFoundException(platform, PlatformManifests.Of(index), attestations: PlatformManifests.Attestations(index).Count);
    }

    /// <summary>
    /// A single image answers for one platform only: its config says which. Asking a linux/amd64 image for
    /// linux/arm64 is an error, not a silent success. Artifacts (non-image configs) have no platform to check.
    /// </summary>
    /// <returns>The platform the config names; null for an artifact.</returns>
    public async Task<Platform?> CheckImagePlatformAsync(ImageManifest manifest, Platform wanted, CancellationToken cancellationToken = default)
    {
        if (manifest is null)
        {
            throw new ArgumentNullException(nameof(manifest));
        }

        if (!MediaTypes.IsImageConfig(manifest.Config.MediaType) || manifest.Source is null)
        {
            return null;
        }

        var config = await ReadBlobAsync(manifest.Source, manifest.Config.Digest, Limits.BlobReadBytes, manifest.Config.Size, cancellationToken).ConfigureAwait(false);
        var actual = ImageConfig.PlatformOf(config);
        if (actual is not null && !actual.Satisfies(wanted))
        {
            throw new PlatformNotFoundException(wanted, [actual], inIndex: false);
        }

        return actual;
    }

    /// <summary>
    /// Lists the tags of <paramref name="repository"/>, page by page as the registry sends them, following
    /// <c>Link: &lt;…&gt;; rel="next"</c>.
    /// </summary>
    /// <param name="repository">The repository path.</param>
    /// <param name="pageSize">The <c>n</c> to ask for; null lets the registry choose.</param>
    /// <param name="cancellationToken">Stops the listing.</param>
    public async IAsyncEnumerable<string> ListTagsAsync(string repository, int? pageSize = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (!Reference.IsValidRepository(repository))
        {
            throw new InvalidReferenceException(repository ?? string.Empty, "not a valid repository name");
        }

        var first = Url(repository, "tags/list" + (pageSize is { } n ? "?n=" + n : string.Empty));
        var request = new PageRequest(new CappedRequest(ContentKind.TagList, "tag list of " + repository, Limits.TagListPageBytes), Limits.MaxTagPages);
        await foreach (var page in ReadPagesAsync(first, request, cancellationToken).ConfigureAwait(false))
        {
            foreach (var tag in TagListReader.ParsePage(page.Body))
            {
                yield return tag;
            }
        }
    }

    /// <summary>
    /// Lists the repositories of the registry (<c>GET /v2/_catalog</c>), page by page as the registry sends them,
    /// following <c>Link</c>. A registry without a catalog (404) fails with <see cref="CatalogUnavailableException"/>;
    /// hosted registries that keep it to administrators answer 401 or 403.
    /// </summary>
    /// <param name="pageSize">The <c>n</c> to ask for; null lets the registry choose.</param>
    /// <param name="cancellationToken">Stops the listing.</param>
    public async IAsyncEnumerable<string> ListRepositoriesAsync(int? pageSize = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var first = new Uri(BaseAddress, "v2/_catalog" + (pageSize is { } n ? "?n=" + n : string.Empty));
        var request = new PageRequest(new CappedRequest(ContentKind.Catalog, "catalog of " + Registry, Limits.CatalogPageBytes), Limits.MaxCatalogPages);
        var pages = ReadPagesAsync(first, request, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                try
                {
                    if (!await pages.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }
                }
                catch (RegistryResponseException e) when (e.StatusCode == 404 && !e.Errors.Any(x => x.Code == "NAME_UNKNOWN"))
                {
                    throw new CatalogUnavailableException(Registry, e);
                }

                foreach (var name in CatalogReader.ParsePage(pages.Current.Body, _options.Warning))
                {
                    yield return name;
                }
            }
        }
        finally
        {
            await pages.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Lists the manifests that refer to <paramref name="subject"/> (their <c>subject</c> is it): signatures, SBOMs,
    /// attestations. Uses the referrers API, or the referrers tag schema on registries without it; a tag is resolved
    /// to its digest first. Each descriptor has its <c>artifactType</c> and annotations and knows its repository.
    /// </summary>
    /// <param name="subject">The manifest, by digest (<c>repo@sha256:…</c>) or by tag.</param>
    /// <param name="artifactType">Only referrers of this artifact type; null for all.</param>
    /// <param name="cancellationToken">Stops the listing.</param>
    public IAsyncEnumerable<Descriptor> ListReferrersAsync(Reference subject, string? artifactType = null, CancellationToken cancellationToken = default)
    {
        CheckRegistry(subject);
        return ReferrersReader.ListAsync(this, subject, artifactType, cancellationToken);
    }

    /// <summary>
    /// Reads a small blob (a config, an artifact's payload) into memory and verifies it against
    /// <paramref name="digest"/>. Fails with <see cref="ContentTooLargeException"/> past <paramref name="maxBytes"/>
    /// (before the request when <paramref name="expectedSize"/> already says so) and with
    /// <see cref="ContentVerificationException"/> when size or digest do not match; large blobs are for the transfer
    /// code, which streams them to disk.
    /// </summary>
    /// <param name="repository">The repository holding the blob (tag and digest ignored).</param>
    /// <param name="digest">The blob's digest.</param>
    /// <param name="maxBytes">The most to read into memory, at most <see cref="Limits.MaxBlobReadBytes"/>.</param>
    /// <param name="expectedSize">The size a descriptor gives, checked too; null when unknown.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    public async Task<byte[]> ReadBlobAsync(Reference repository, Digest digest, long maxBytes = Limits.BlobReadBytes, long? expectedSize = null, CancellationToken cancellationToken = default)
    {
        CheckRegistry(repository);
        if (digest is null)
        {
            throw new ArgumentNullException(nameof(digest));
        }

        if (maxBytes <= 0 || maxBytes > Limits.MaxBlobReadBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(maxBytes), maxBytes, $"The cap must be between 1 and {Limits.MaxBlobReadBytes} bytes.");
        }

        var what = $"blob {digest}";
        if (expectedSize > maxBytes)
        {
            throw new ContentTooLargeException(ContentKind.Blob, what, maxBytes, expectedSize);
        }

        var request = new CappedRequest(ContentKind.Blob, what, maxBytes);
        var bytes = (await GetCappedAsync(Url(repository.Repository, "blobs/" + digest), request, cancellationToken).ConfigureAwait(false)).Body;
        if (expectedSize is { } size && bytes.Length != size)
        {
            throw new ContentVerificationException(ContentKind.Blob, $"the blob {repository.AtDigest(digest)} is {bytes.Length} bytes, not the {size} its descriptor says; the content was discarded", digest);
        }

        var actual = digest.ComputeSame(bytes);
        if (actual != digest)
        {
            throw new ContentVerificationException(ContentKind.Blob, $"the blob {repository.AtDigest(digest)}", digest, actual);
        }

        return bytes;
    }

    /// <summary>
    /// Opens a blob for reading from <paramref name="offset"/> (a <c>Range: bytes=offset-</c> request when it is not
    /// zero). The caller owns the response; the status is 200 or 206 and the caller checks <c>Content-Range</c>.
    /// A 416 for an offset at the end of the blob comes back as the response too.
    /// </summary>
    /// <param name="repository">The repository holding the blob.</param>
    /// <param name="digest">The blob.</param>
    /// <param name="offset">The first byte wanted.</param>
    /// <param name="onRetryWait">Hears of each wait before a retry of this request (a 429's Retry-After, a 503's backoff).</param>
    /// <param name="cancellationToken">Stops the request, and any wait.</param>
    public Task<HttpResponseMessage> OpenBlobAsync(Reference repository, Digest digest, long offset, Action<TimeSpan>? onRetryWait = null, CancellationToken cancellationToken = default) =>
        OpenBlobRangeAsync(repository, digest, offset, end: null, onRetryWait, cancellationToken);

    /// <summary>
    /// Opens the bytes from <paramref name="offset"/> up to, not including, <paramref name="end"/> of a blob
    /// (<c>Range: bytes=offset-(end-1)</c>; to the blob's end when <paramref name="end"/> is null). As with
    /// <see cref="OpenBlobAsync"/>, a registry that ignores ranges answers 200 with the whole blob, and the caller checks.
    /// </summary>
    /// <param name="repository">The repository holding the blob.</param>
    /// <param name="digest">The blob.</param>
    /// <param name="offset">The first byte wanted.</param>
    /// <param name="end">The byte after the last one wanted; null for the blob's end.</param>
    /// <param name="onRetryWait">Hears of each wait before a retry of this request (a 429's Retry-After, a 503's backoff).</param>
    /// <param name="cancellationToken">Stops the request, and any wait.</param>
    public async Task<HttpResponseMessage> OpenBlobRangeAsync(Reference repository, Digest digest, long offset, long? end, Action<TimeSpan>? onRetryWait = null, CancellationToken cancellationToken = default)
    {
        CheckRegistry(repository);
        if (end is { } last && last <= offset)
        {
            throw new ArgumentOutOfRangeException(nameof(end), end, "The end of a range must be past its start.");
        }

        var request = new HttpRequestMessage(HttpMethod.Get, Url(repository.Repository, "blobs/" + digest));
        Backoff.ObserveWaits(request, onRetryWait);
        if (offset > 0 || end is not null)
        {
            request.Headers.Range = new RangeHeaderValue(offset, end - 1);
        }

        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode || (offset > 0 && (int)response.StatusCode == 416))
        {
            return response;
        }

        throw await ErrorResponseReader.ReadAsync(response, _options.TimeProvider, _options.Trace, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The size of a blob, from a HEAD request's <c>Content-Length</c>; null when the registry does not say.</summary>
    public async Task<long?> GetBlobSizeAsync(Reference repository, Digest digest, CancellationToken cancellationToken = default)
    {
        CheckRegistry(repository);
        using var request = new HttpRequestMessage(HttpMethod.Head, Url(repository.Repository, "blobs/" + digest));
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        return response.Content?.Headers.ContentLength;
    }

    /// <summary>The options this client was made with (the transfer code shares its clock and retry settings).</summary>
    internal ClientOptions Options => _options;

    /// <summary>The client's backoff policy, which the transfer code's reconnects share.</summary>
    internal Backoff Backoff { get; }

    /// <summary>Sends a request through the chain and turns any non-success status into a typed exception.</summary>
    internal async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        await ThrowIfNotARegistryAsync(response, cancellationToken).ConfigureAwait(false);
        throw await ErrorResponseReader.ReadAsync(response, _options.TimeProvider, _options.Trace, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends a GET through the chain and reads its whole body under the request's cap: the one way a manifest, a small
    /// blob or a page of a list comes into memory. A status other than success is a typed exception unless the
    /// request leaves that answer to the caller, which then gets it unread. The response is disposed either way.
    /// A body that breaks off (cut, reset, or silent past the idle timeout) is as transient as a failed request: the
    /// whole GET is made again under the client's backoff policy, and the last break is thrown when the retries are
    /// spent. (The request itself already went through the retry handler, which covers everything up to the headers.)
    /// </summary>
    internal async Task<CappedResponse> GetCappedAsync(Uri url, CappedRequest request, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await GetCappedOnceAsync(url, request, cancellationToken).ConfigureAwait(false);
            }
            catch (BrokenBodyException e) when (attempt < Backoff.Options.MaxRetries && !cancellationToken.IsCancellationRequested)
            {
                var delay = Backoff.Delay(attempt, null);
                _options.Trace?.Invoke(new HttpTraceEvent(HttpTraceKind.Retry, "GET", UrlRedactor.Redact(url),
                    $"(attempt {attempt + 2} of {Backoff.Options.MaxRetries + 1}) after the body broke off: {e.InnerException!.Message}", delay: delay));
                await Backoff.WaitAsync(delay, cancellationToken).ConfigureAwait(false);
            }
            catch (BrokenBodyException e)
            {
                ExceptionDispatchInfo.Capture(e.InnerException!).Throw();
                throw;
            }
        }
    }

    private async Task<CappedResponse> GetCappedOnceAsync(Uri url, CappedRequest request, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, url);
        foreach (var type in request.Accept)
        {
            message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        }

        using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        var mediaType = response.Content?.Headers.ContentType?.MediaType;
        if (request.LeaveUnread?.Invoke(status, mediaType) == true)
        {
            return new CappedResponse(url, status, response.Headers, mediaType, body: null);
        }

        // A blob may be HTML; a manifest, a list or an error body from a registry never is.
        if (!response.IsSuccessStatusCode || request.Kind != ContentKind.Blob)
        {
            await ThrowIfNotARegistryAsync(response, cancellationToken).ConfigureAwait(false);
        }

        if (!response.IsSuccessStatusCode)
        {
            throw await ErrorResponseReader.ReadAsync(response, _options.TimeProvider, _options.Trace, cancellationToken).ConfigureAwait(false);
        }

        byte[] body;
        try
        {
            body = await BodyReader.ReadCappedAsync(response.Content!, request.Limit, request.Kind, request.What, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is IOException or HttpRequestException)
        {
            throw new BrokenBodyException(e);
        }

        return new CappedResponse(url, status, response.Headers, mediaType, body) { ServedBy = response.RequestMessage?.RequestUri?.Authority };
    }

    /// <summary>Marks a failure while reading a body, as opposed to one while sending: only that is retried here.</summary>
    private sealed class BrokenBodyException(Exception inner) : Exception(inner.Message, inner);

    /// <summary>
    /// Throws <see cref="NotARegistryException"/> when <paramref name="response"/> is HTML and <c>GET /v2/</c> does not
    /// answer as a registry: the address reaches a web server, a login page or a proxy's error page. A registry
    /// whose reverse proxy sends an HTML error page for one path passes, and its error is reported as usual.
    /// </summary>
    private async Task ThrowIfNotARegistryAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!IsMarkup(response.Content?.Headers.ContentType?.MediaType) || await AnswersAsRegistryAsync(cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        string? excerpt;
        try
        {
            var prefix = await BodyReader.ReadPrefixAsync(response.Content, Limits.ErrorBodyBytes, cancellationToken).ConfigureAwait(false);
            excerpt = ErrorResponseReader.ParseBody(prefix).Text;
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            excerpt = null;
        }

        var url = UrlRedactor.Redact(response.RequestMessage?.RequestUri);
        var status = (int)response.StatusCode;
        var mediaType = response.Content?.Headers.ContentType?.MediaType;
        response.Dispose();
        throw new NotARegistryException(url, status, mediaType, excerpt);
    }

    private static bool IsMarkup(string? mediaType) =>
        mediaType is not null && (mediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase) || mediaType.Equals("application/xhtml+xml", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Whether <c>GET /v2/</c> answers as the distribution spec says a registry does: 200 or 401, not with HTML, or
    /// with <c>Docker-Distribution-API-Version</c>. A challenge that cannot be met still marks a registry.
    /// </summary>
    private async Task<bool> AnswersAsRegistryAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var probe = new HttpRequestMessage(HttpMethod.Get, new Uri(BaseAddress, "v2/"));
            using var answer = await _http.SendAsync(probe, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var status = (int)answer.StatusCode;
            return answer.Headers.Contains("Docker-Distribution-API-Version")
                || (status is 200 or 401 && !IsMarkup(answer.Content?.Headers.ContentType?.MediaType));
        }
        catch (RegistryAuthenticationException)
        {
            return true;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is OciException or IOException or HttpRequestException)
        {
            return false;
        }
    }

    /// <summary>
    /// Reads a list the registry sends in pages linked by <c>Link: &lt;…&gt;; rel="next"</c> (RFC 8288), one
    /// <see cref="GetCappedAsync"/> a page. A page is yielded once its next link has been checked (see
    /// <see cref="PageTrail"/>); a next page already read, or one past the cap, fails before it is requested. A first
    /// answer the request leaves to the caller comes back unread as the only page.
    /// </summary>
    /// <remarks>https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-tags (pagination).</remarks>
    internal async IAsyncEnumerable<CappedResponse> ReadPagesAsync(Uri first, PageRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var trail = new PageTrail(request.First.What, request.MaxPages);
        var pageRequest = request.First;
        Uri? next = first;
        while (next is not null)
        {
            trail.Enter(next);
            var page = await GetCappedAsync(next, pageRequest, cancellationToken).ConfigureAwait(false);
            next = page.LeftUnread ? null : PageTrail.NextLink(page.Headers, page.Url);
            pageRequest = request.Later;
            yield return page;
        }
    }

    internal Uri Url(string repository, string rest) => new(BaseAddress, "v2/" + repository + "/" + rest);

    private void CheckRegistry(Reference reference)
    {
        if (reference is null)
        {
            throw new ArgumentNullException(nameof(reference));
        }

        if (!string.Equals(reference.Registry, Registry, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"The reference {reference} is not on {Registry}.", nameof(reference));
        }
    }

    private static HttpClientHandler CreatePrimaryHandler(ClientOptions options, System.Net.IWebProxy? proxy, ServerCertificateCheck check, X509Certificate2? clientCertificate)
    {
        var handler = new HttpClientHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            UseProxy = proxy is not null,
            Proxy = proxy,
        };
        try
        {
            handler.MaxResponseHeadersLength = Limits.ResponseHeadersKiB;
        }
        catch (PlatformNotSupportedException)
        {
            // A handler that cannot be told keeps its own limit (64 KiB).
        }

        try
        {
            // .NET Framework allows two connections per host unless told: parallel ranges and -ThrottleLimit want more.
            handler.MaxConnectionsPerServer = 256;
        }
        catch (PlatformNotSupportedException)
        {
        }

        if (options.SkipCertificateCheck)
        {
            handler.ServerCertificateCustomValidationCallback = (_, _, _, _) => true;
        }
        else
        {
            handler.ServerCertificateCustomValidationCallback = check.Validate;
        }

        if (clientCertificate is not null)
        {
            handler.ClientCertificateOptions = ClientCertificateOption.Manual;
            handler.ClientCertificates.Add(clientCertificate);
        }

        return handler;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _http.Dispose();
        _probe?.Dispose();
        foreach (var mirror in _mirrors ?? [])
        {
            mirror.Dispose();
        }
    }
}
