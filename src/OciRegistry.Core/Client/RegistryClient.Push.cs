using System;
using System.IO;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.Models;
using OciRegistry.Core.Push;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Client;

/// <summary>
/// The push side of the client: blob existence, the steps of a blob upload (used by <see cref="BlobUploader"/>),
/// manifest PUT and DELETE, and the referrers tag schema.
/// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#push.
/// </summary>
public sealed partial class RegistryClient
{
    private const string OctetStream = "application/octet-stream";

    /// <summary>
    /// Whether <paramref name="repository"/> has the blob <paramref name="digest"/>: one HEAD. Not found (404, also for
    /// a repository that does not exist yet) is false; any other failure is thrown.
    /// </summary>
    public async Task<bool> BlobExistsAsync(Reference repository, Digest digest, CancellationToken cancellationToken = default)
    {
        CheckRegistry(repository);
        if (digest is null)
        {
            throw new ArgumentNullException(nameof(digest));
        }

        using var request = new HttpRequestMessage(HttpMethod.Head, Url(repository.Repository, "blobs/" + digest));
        try
        {
            using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RegistryResponseException e) when (e.StatusCode == 404)
        {
            return false;
        }
    }

    /// <summary>
    /// Puts a manifest or index as exactly <paramref name="content"/>, with <paramref name="mediaType"/> as its
    /// <c>Content-Type</c>, so its digest is the digest of those bytes wherever it lands. By digest, the bytes are
    /// checked against it before anything is sent; the answer's <c>Docker-Content-Digest</c>, when present, must be
    /// the bytes' digest too (else <see cref="ContentVerificationException"/>). A 429 or 5xx is retried under the
    /// client's policy (the body is in memory).
    /// </summary>
    /// <param name="target">The repository and the tag or digest to put it at.</param>
    /// <param name="content">The manifest's bytes, as read from the source.</param>
    /// <param name="mediaType">The manifest's media type, as the source served it.</param>
    /// <param name="cancellationToken">Stops the request and any wait.</param>
    public async Task<ManifestPushResult> PutManifestAsync(Reference target, byte[] content, string mediaType, CancellationToken cancellationToken = default)
    {
        CheckRegistry(target);
        if (content is null)
        {
            throw new ArgumentNullException(nameof(content));
        }

        if (target.Tag is null && target.Digest is null)
        {
            throw new ArgumentException($"The reference {target} names neither a tag nor a digest to put the manifest at.", nameof(target));
        }

        if (!IsMediaType(mediaType))
        {
            throw new ArgumentException($"'{mediaType}' is not a media type.", nameof(mediaType));
        }

        if (content.LongLength > _options.MaxManifestBytes)
        {
            throw new ContentTooLargeException(ContentKind.Manifest, "manifest", _options.MaxManifestBytes, content.LongLength);
        }

        var digest = target.Digest?.ComputeSame(content) ?? Digest.Compute(content);
        if (target.Digest is { } expected && digest != expected)
        {
            throw new ContentVerificationException(ContentKind.Manifest, $"the manifest to put at {target}", expected, digest);
        }

        using var request = new HttpRequestMessage(HttpMethod.Put, Url(target.Repository, "manifests/" + target.Identifier))
        {
            Content = new ByteArrayContent(content),
        };

        // Exactly the source's string: a normalised Content-Type would still name the type, but this way nothing changes.
        request.Content.Headers.TryAddWithoutValidation("Content-Type", mediaType);
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (AnnouncedDigest(response.Headers) is { } announced && announced.ComputeSame(content) != announced)
        {
            throw new ContentVerificationException(ContentKind.Manifest, $"the manifest put at {target} (the registry's Docker-Content-Digest)", digest, announced);
        }

        return new ManifestPushResult(digest, response.Headers.Contains("OCI-Subject"));
    }

    /// <summary>
    /// Deletes the manifest <paramref name="reference"/> names by digest. A registry that does not allow deletes
    /// answers 405 (or <c>UNSUPPORTED</c>): a <see cref="RegistryResponseException"/> with that status and code.
    /// </summary>
    /// <param name="reference">The manifest, with a digest (deleting by tag is not what the spec offers everywhere).</param>
    /// <param name="cancellationToken">Stops the request.</param>
    public async Task DeleteManifestAsync(Reference reference, CancellationToken cancellationToken = default)
    {
        CheckRegistry(reference);
        if (reference.Digest is not { } digest)
        {
            throw new ArgumentException($"The reference {reference} has no digest: a manifest is deleted by digest.", nameof(reference));
        }

        using var request = new HttpRequestMessage(HttpMethod.Delete, Url(reference.Repository, "manifests/" + digest));
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Adds <paramref name="referrer"/> to the referrers tag index of <paramref name="subject"/> (the referrers tag
    /// schema, for registries without the referrers API): reads the index tagged <see cref="ReferrersTag.For"/>
    /// (none yet: an empty one), appends the descriptor with its <c>artifactType</c> and annotations, keeping
    /// everything else of the index as it was, and puts it back. When the tag moved between the read and the write
    /// (another writer), it starts over, up to <see cref="Limits.MaxReferrersTagAttempts"/> times. A referrer
    /// already listed is left alone.
    /// </summary>
    /// <remarks>https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-manifests-with-subject.</remarks>
    /// <param name="repository">The repository of the subject and the referrer.</param>
    /// <param name="subject">The manifest referred to.</param>
    /// <param name="referrer">The referring manifest's descriptor (media type, digest, size, artifact type, annotations).</param>
    /// <param name="cancellationToken">Stops the requests.</param>
    public async Task AddToReferrersTagAsync(Reference repository, Digest subject, Descriptor referrer, CancellationToken cancellationToken = default)
    {
        CheckRegistry(repository);
        if (subject is null || referrer is null)
        {
            throw new ArgumentNullException(subject is null ? nameof(subject) : nameof(referrer));
        }

        var tagged = Reference.Create(repository.Registry, repository.Repository, ReferrersTag.For(subject));
        for (var attempt = 1; ; attempt++)
        {
            var (read, body) = await ReadReferrersTagAsync(tagged, cancellationToken).ConfigureAwait(false);
            var updated = ReferrersTagWriter.Append(body, referrer, tagged);
            if (updated is null)
            {
                return;
            }

            // Another writer may have moved the tag since: then its referrer would be lost, so read again.
            if (await CurrentDigestAsync(tagged, cancellationToken).ConfigureAwait(false) == read)
            {
                await PutManifestAsync(tagged, updated, MediaTypes.OciIndex, cancellationToken).ConfigureAwait(false);
                return;
            }

            if (attempt >= Limits.MaxReferrersTagAttempts)
            {
                throw new OciException($"the referrers tag {tagged} kept changing while {referrer.Digest} was being added to it ({attempt} attempts)");
            }

            _options.Trace?.Invoke(new HttpTraceEvent(HttpTraceKind.Retry, "GET", UrlRedactor.Redact(Url(tagged.Repository, "manifests/" + tagged.Tag)),
                $"(attempt {attempt + 1} of {Limits.MaxReferrersTagAttempts}) the referrers tag changed while it was being updated"));
        }
    }

    /// <summary>The referrers tag's digest and bytes; (null, null) when there is no such tag.</summary>
    private async Task<(Digest? Digest, byte[]? Body)> ReadReferrersTagAsync(Reference tagged, CancellationToken cancellationToken)
    {
        try
        {
            var response = await GetManifestBytesAsync(tagged, cancellationToken).ConfigureAwait(false);
            return (VerifiedManifestDigest(tagged, response), response.Body);
        }
        catch (RegistryResponseException e) when (e.StatusCode == 404)
        {
            // No tag yet (or no repository yet, NAME_UNKNOWN): the index starts empty, and putting it creates both.
            return (null, null);
        }
    }

    private async Task<Digest?> CurrentDigestAsync(Reference tagged, CancellationToken cancellationToken)
    {
        try
        {
            return (await ResolveManifestAsync(tagged, cancellationToken: cancellationToken).ConfigureAwait(false)).Digest;
        }
        catch (RegistryResponseException e) when (e.StatusCode == 404)
        {
            return null;
        }
    }

    /// <summary>
    /// Opens an upload session (<c>POST /v2/&lt;name&gt;/blobs/uploads/</c>), or, with <paramref name="mount"/>, asks
    /// for a cross-repository mount from <paramref name="from"/> first: 201 means mounted, 202 a session to upload
    /// into instead (the spec's fallback). The POST has no body, so the client's retry policy covers it.
    /// </summary>
    internal async Task<UploadState> StartUploadAsync(Reference repository, Digest? mount, string? from, CancellationToken cancellationToken)
    {
        CheckRegistry(repository);
        var query = mount is null ? string.Empty : "?mount=" + Uri.EscapeDataString(mount.ToString()) + "&from=" + Uri.EscapeDataString(from!);
        using var request = new HttpRequestMessage(HttpMethod.Post, Url(repository.Repository, "blobs/uploads/" + query));
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        if ((int)response.StatusCode == 201)
        {
            return new UploadState(null, 0, null, Completed: true);
        }

        var location = UploadLocation(response) ?? throw new OciException($"the registry opened an upload at {UrlRedactor.Redact(request.RequestUri)} without a Location to send it to");
        return new UploadState(location, 0, ChunkMinLength(response), Completed: false);
    }

    /// <summary>
    /// Sends one chunk (<c>PATCH</c> with <c>Content-Range: start-end</c>), its body read from
    /// <paramref name="source"/> as it is sent. Not retried by the client: a chunk broken off may have been stored
    /// in part, so the uploader asks where the upload stands and goes on from there.
    /// </summary>
    internal async Task<UploadState> SendChunkAsync(Uri location, long offset, Stream source, int count, Descriptor blob, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(new HttpMethod("PATCH"), location) { Content = new BoundedStreamContent(source, count, blob) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(OctetStream);
        request.Content.Headers.TryAddWithoutValidation("Content-Range", ChunkRange(offset, count));
        RetryHandler.LeaveToCaller(request);
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        var end = offset + count;
        return new UploadState(UploadLocation(response) ?? location, RangeEnd(response) ?? end, ChunkMinLength(response), Completed: false);
    }

    /// <summary>
    /// Where an upload stands (<c>GET</c> on its URL, https://github.com/opencontainers/distribution-spec/blob/main/spec.md#getting-the-upload-status):
    /// the next URL and the bytes held, from <c>Range: 0-&lt;last&gt;</c>. <c>0-0</c> is read as nothing held, which
    /// is how registries say it (and a single byte held is not a state a chunked upload gets into).
    /// </summary>
    internal async Task<UploadState> GetUploadStatusAsync(Uri location, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, location);
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        var held = RangeEnd(response) is { } end and > 1 ? end : 0;
        return new UploadState(UploadLocation(response) ?? location, held, ChunkMinLength(response), Completed: false);
    }

    /// <summary>
    /// Ends an upload: <c>PUT &lt;location&gt;?digest=</c>, with the whole blob as body (monolithic) or none (after
    /// the chunks). The registry checks the digest; a mismatch is its 400 <c>DIGEST_INVALID</c>, thrown as a
    /// <see cref="RegistryResponseException"/>. A body is sent once (the uploader starts over); a bare PUT is retried
    /// by the client.
    /// </summary>
    internal async Task FinishUploadAsync(Uri location, Digest digest, byte[]? body, int count, CancellationToken cancellationToken)
    {
        var separator = string.IsNullOrEmpty(location.Query) ? "?" : "&";
        var url = new Uri(location, location.PathAndQuery + separator + "digest=" + Uri.EscapeDataString(digest.ToString()));
        using var request = new HttpRequestMessage(HttpMethod.Put, url);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body, 0, count);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(OctetStream);
            RetryHandler.LeaveToCaller(request);
        }
        else
        {
            request.Content = new ByteArrayContent([]);
        }

        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (AnnouncedDigest(response.Headers) is { } announced && announced != digest)
        {
            throw new ContentVerificationException(ContentKind.Blob, $"the upload of {digest} (the registry's Docker-Content-Digest)", digest, announced);
        }
    }

    private static string ChunkRange(long offset, int count) =>
        offset.ToString(CultureInfo.InvariantCulture) + "-" + (offset + count - 1).ToString(CultureInfo.InvariantCulture);

    /// <summary>The upload URL in <c>Location</c>, resolved against the request's URL; null when there is none.</summary>
    private static Uri? UploadLocation(HttpResponseMessage response)
    {
        var location = response.Headers.Location;
        if (location is null)
        {
            return null;
        }

        return location.IsAbsoluteUri ? location : new Uri(response.RequestMessage!.RequestUri!, location);
    }

    /// <summary>
    /// The count of bytes an upload holds, from its <c>Range: 0-&lt;last&gt;</c> header (also <c>bytes=0-…</c>);
    /// null without one.
    /// </summary>
    internal static long? RangeEnd(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Range", out var values))
        {
            return null;
        }

        var text = values.FirstOrDefault()?.Trim() ?? string.Empty;
        if (text.StartsWith("bytes", StringComparison.OrdinalIgnoreCase))
        {
            text = text.Substring(5).TrimStart(' ', '=');
        }

        var dash = text.IndexOf('-');
        return dash > 0 &&
            long.TryParse(text.Substring(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var start) && start == 0 &&
            long.TryParse(text.Substring(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var last)
            ? last + 1
            : null;
    }

    /// <summary>The registry's <c>OCI-Chunk-Min-Length</c>, when it sends a positive one.</summary>
    private static long? ChunkMinLength(HttpResponseMessage response) =>
        response.Headers.TryGetValues("OCI-Chunk-Min-Length", out var values) &&
        long.TryParse(values.FirstOrDefault()?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var length) && length > 0
            ? length
            : null;

    private static bool IsMediaType(string? mediaType)
    {
        if (string.IsNullOrEmpty(mediaType) || mediaType!.IndexOfAny(['\r', '\n']) >= 0)
        {
            return false;
        }

        return MediaTypeHeaderValue.TryParse(mediaType, out _);
    }
}
