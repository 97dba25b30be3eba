using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Client;

/// <summary>
/// Lists the manifests whose <c>subject</c> is a given manifest (signatures, SBOMs, attestations): the referrers API
/// <c>GET /v2/&lt;name&gt;/referrers/&lt;digest&gt;[?artifactType=…]</c>, an index whose <c>manifests</c> are the
/// referrers, paged with <c>Link</c>. A registry without the API answers 404 (or something that is not an index);
/// then the referrers tag schema applies: the index tagged <c>&lt;alg&gt;-&lt;hex&gt;</c>, and no such tag means
/// no referrers. The artifact type filter is applied here whenever the registry does not say, with
/// <c>OCI-Filters-Applied: artifactType</c>, that it applied it.
/// </summary>
/// <remarks>
/// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-referrers and
/// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#referrers-tag-schema.
/// </remarks>
internal static class ReferrersReader
{
    /// <summary>The response header in which a registry lists the filters it applied.</summary>
    internal const string FiltersAppliedHeader = "OCI-Filters-Applied";

    /// <summary>Lists the referrers of <paramref name="subject"/>; a tag is resolved to its digest first.</summary>
    public static async IAsyncEnumerable<Descriptor> ListAsync(
        RegistryClient client, Reference subject, string? artifactType, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var digest = subject.Digest ?? (await client.GetManifestAsync(subject, cancellationToken).ConfigureAwait(false)).Digest;
        var repository = subject.RepositoryOnly();
        var query = artifactType is null ? string.Empty : "?artifactType=" + Uri.EscapeDataString(artifactType);
        var first = client.Url(repository.Repository, "referrers/" + digest + query);
        var what = $"referrers list of {repository.AtDigest(digest)}";

        // A registry without the API answers the first request with 404, or with something that is not an index.
        var request = new PageRequest(
            new CappedRequest(ContentKind.ReferrersList, what, Limits.ManifestBytes)
            {
                Accept = [MediaTypes.OciIndex],
                LeaveUnread = (status, mediaType) => status == 404 || (status is >= 200 and <= 299 && mediaType != MediaTypes.OciIndex),
            },
            Limits.MaxReferrersPages);
        await foreach (var page in client.ReadPagesAsync(first, request, cancellationToken).ConfigureAwait(false))
        {
            if (page.LeftUnread)
            {
                client.Options.Trace?.Invoke(new HttpTraceEvent(HttpTraceKind.Fallback, "GET", UrlRedactor.Redact(first),
                    $"(no referrers API: {(page.Status == 404 ? "HTTP 404" : "the answer is not an index")}; reading the referrers tag {TagFor(digest)})"));
                foreach (var referrer in await FromTagSchemaAsync(client, repository, digest, artifactType, cancellationToken).ConfigureAwait(false))
                {
                    yield return referrer;
                }

                yield break;
            }

            foreach (var referrer in ParsePage(page, repository, artifactType))
            {
                yield return referrer;
            }
        }
    }

    /// <summary>
    /// The referrers tag for <paramref name="digest"/>: <c>&lt;alg&gt;-&lt;hex&gt;</c>, the algorithm cut to 32 and
    /// the encoded part to 64 characters as the spec asks (so a sha512 tag holds half of the hex).
    /// </summary>
    public static string TagFor(Digest digest) =>
        Truncate(digest.Algorithm, 32) + "-" + Truncate(digest.Encoded, 64);

    private static string Truncate(string text, int length) => text.Length <= length ? text : text.Substring(0, length);

    private static IReadOnlyList<Descriptor> ParsePage(CappedResponse page, Reference repository, string? artifactType)
    {
        var document = ManifestParser.Parse(page.Body, page.MediaType, source: repository);
        if (document is not ImageIndex index)
        {
            throw new ManifestFormatException($"the referrers response is a {document.MediaType}, not an index");
        }

        var applied = page.Headers.TryGetValues(FiltersAppliedHeader, out var values) &&
            values.SelectMany(v => v.Split(',')).Any(f => string.Equals(f.Trim(), "artifactType", StringComparison.OrdinalIgnoreCase));
        return Filter(index.Manifests, applied ? null : artifactType);
    }

    private static async Task<IReadOnlyList<Descriptor>> FromTagSchemaAsync(
        RegistryClient client, Reference repository, Digest digest, string? artifactType, CancellationToken cancellationToken)
    {
        var tag = TagFor(digest);
        ManifestDocument document;
        try
        {
            document = await client.GetManifestAsync(Reference.Create(repository.Registry, repository.Repository, tag), cancellationToken).ConfigureAwait(false);
        }
        catch (RegistryResponseException e) when (e.StatusCode == 404 && !e.Errors.Any(x => x.Code == "NAME_UNKNOWN"))
        {
            // No referrers tag: nothing refers to the manifest. An unknown repository is still an error.
            return [];
        }

        if (document is not ImageIndex index)
        {
            throw new ReferrersUnavailableException(repository.AtDigest(digest).ToString(),
                $"the registry has no referrers API, and its referrers tag '{tag}' names a {document.MediaType}, not an index");
        }

        return Filter(index.Manifests, artifactType);
    }

    private static IReadOnlyList<Descriptor> Filter(IReadOnlyList<Descriptor> manifests, string? artifactType) =>
        artifactType is null ? manifests : manifests.Where(d => string.Equals(d.ArtifactType, artifactType, StringComparison.Ordinal)).ToList();
}
