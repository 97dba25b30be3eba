using System;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Client;

/// <summary>
/// The cheap questions a CI script asks: does a manifest exist, which digest does a tag name, how many pulls are
/// left. Each is one HEAD of the manifest where the registry allows it (a HEAD does not count as a pull on Docker
/// Hub); a GET only when the registry refuses HEAD with 405, when its answer lacks the digest or size, or when a
/// platform must be chosen from an index.
/// </summary>
/// <remarks>https://github.com/opencontainers/distribution-spec/blob/main/spec.md#checking-if-content-exists-in-the-registry.</remarks>
public sealed partial class RegistryClient
{
    /// <summary>
    /// Resolves <paramref name="reference"/> to a digest, media type and size. Without a platform, one HEAD; GET (the
    /// bytes hashed and checked as <see cref="GetManifestAsync"/> checks them) when the registry answers HEAD with 405
    /// or without <c>Docker-Content-Digest</c> (for a tag) or <c>Content-Length</c>. With a platform, the index is
    /// read once and the chosen entry's descriptor returned, without fetching that manifest; a single image must be
    /// built for the platform (its config is read to check).
    /// </summary>
    /// <param name="reference">The manifest or index, by tag or digest.</param>
    /// <param name="platform">The platform to choose from an index; null for the reference itself.</param>
    /// <param name="cancellationToken">Stops the requests.</param>
    public async Task<ManifestHead> ResolveManifestAsync(Reference reference, Platform? platform = null, CancellationToken cancellationToken = default)
    {
        CheckRegistry(reference);
        if (platform is not null)
        {
            return await ResolveForPlatformAsync(reference, platform, cancellationToken).ConfigureAwait(false);
        }

        var head = await HeadManifestAsync(reference, cancellationToken).ConfigureAwait(false);
        if (head is { Digest: { } digest, Size: not null })
        {
            return new ManifestHead(reference, digest, head.MediaType, head.Size, platform: null, readContent: false);
        }

        var response = await GetManifestBytesAsync(reference, cancellationToken).ConfigureAwait(false);
        var actual = VerifiedManifestDigest(reference, response);
        return new ManifestHead(reference, actual, response.MediaType ?? head?.MediaType, response.Body.LongLength, platform: null, readContent: true);
    }

    /// <summary>
    /// Whether the registry has <paramref name="reference"/> (and, with a platform, an image for it): one HEAD, or a
    /// GET where <see cref="ResolveManifestAsync"/> needs one. Not found (404, <c>MANIFEST_UNKNOWN</c>,
    /// <c>NAME_UNKNOWN</c>) and a platform the index lacks are false; everything else (credentials refused, a
    /// registry that cannot be reached or keeps failing) is thrown, because "not there" would be a lie.
    /// </summary>
    /// <param name="reference">The manifest or index, by tag or digest.</param>
    /// <param name="platform">The platform an index (or single image) must have; null for the reference itself.</param>
    /// <param name="cancellationToken">Stops the requests.</param>
    public async Task<bool> ManifestExistsAsync(Reference reference, Platform? platform = null, CancellationToken cancellationToken = default)
    {
        CheckRegistry(reference);
        try
        {
            if (platform is not null)
            {
                await ResolveForPlatformAsync(reference, platform, cancellationToken).ConfigureAwait(false);
                return true;
            }

            if (await HeadManifestAsync(reference, cancellationToken).ConfigureAwait(false) is not null)
            {
                return true;
            }

            // HEAD refused: the manifest's bytes answer instead (not parsed: existing is the question).
            await GetManifestBytesAsync(reference, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RegistryResponseException e) when (e.IsNotFound && e.StatusCode is not (401 or 403))
        {
            // A *_UNKNOWN code on a 401 or 403 is the registry hiding what exists from someone it will not serve.
            return false;
        }
        catch (PlatformNotFoundException) when (platform is not null)
        {
            return false;
        }
    }

    /// <summary>
    /// The rate limit the registry states in the headers of one HEAD of <paramref name="reference"/> (a GET when it
    /// refuses HEAD with 405); null when it sends none of Docker Hub's rate-limit headers.
    /// </summary>
    /// <param name="reference">A manifest to ask about; on Docker Hub, any image (HEAD requests are not counted).</param>
    /// <param name="cancellationToken">Stops the request.</param>
    public async Task<RateLimit?> GetRateLimitAsync(Reference reference, CancellationToken cancellationToken = default)
    {
        CheckRegistry(reference);
        if (await HeadManifestAsync(reference, cancellationToken).ConfigureAwait(false) is { } head)
        {
            return head.RateLimit;
        }

        var response = await GetManifestBytesAsync(reference, cancellationToken).ConfigureAwait(false);
        return RateLimit.FromHeaders(response.Headers);
    }

    private async Task<ManifestHead> ResolveForPlatformAsync(Reference reference, Platform platform, CancellationToken cancellationToken)
    {
        var document = await GetManifestAsync(reference, cancellationToken).ConfigureAwait(false);
        if (document is ImageIndex index)
        {
            var entry = SelectPlatform(index, platform);
            return new ManifestHead(reference, entry.Digest, entry.MediaType, entry.Size, entry.Platform, readContent: true);
        }

        Platform? actual = null;
        if (document is ImageManifest single)
        {
            actual = await CheckImagePlatformAsync(single, platform, cancellationToken).ConfigureAwait(false);
        }

        return new ManifestHead(reference, document.Digest, document.MediaType, document.Size, actual, readContent: true);
    }

    /// <summary>One HEAD of the manifest; null when the registry refuses the method (405), a typed exception for any other failure.</summary>
    private async Task<HeadAnswer?> HeadManifestAsync(Reference reference, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, Url(reference.Repository, "manifests/" + reference.Identifier));
        foreach (var type in MediaTypes.ManifestAccept)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        }

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if ((int)response.StatusCode == 405)
        {
            _options.Trace?.Invoke(new HttpTraceEvent(HttpTraceKind.Fallback, "GET", UrlRedactor.Redact(request.RequestUri), "instead of HEAD, which the registry refuses (405)"));
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw await ErrorResponseReader.ReadAsync(response, _options.TimeProvider, _options.Trace, cancellationToken).ConfigureAwait(false);
        }

        return new HeadAnswer(
            reference.Digest ?? AnnouncedDigest(response.Headers),
            response.Content?.Headers.ContentType?.MediaType,
            response.Content?.Headers.ContentLength,
            RateLimit.FromHeaders(response.Headers));
    }

    private Task<CappedResponse> GetManifestBytesAsync(Reference reference, CancellationToken cancellationToken)
    {
        var request = new CappedRequest(ContentKind.Manifest, "manifest", _options.MaxManifestBytes) { Accept = MediaTypes.ManifestAccept };
        return GetCappedAsync(Url(reference.Repository, "manifests/" + reference.Identifier), request, cancellationToken);
    }

    private sealed record HeadAnswer(Digest? Digest, string? MediaType, long? Size, RateLimit? RateLimit);
}
