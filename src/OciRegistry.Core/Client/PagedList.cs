using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace OciRegistry.Core.Client;

/// <summary>
/// Reads a list the registry sends in pages linked by <c>Link: &lt;…&gt;; rel="next"</c> (RFC 8288; the tag list,
/// the catalog, referrers), one capped page at a time, yielding items as each page arrives. A next link that points
/// to a page already read, or more pages than the limit, ends the listing with an error instead of looping.
/// </summary>
/// <remarks>https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-tags (pagination).</remarks>
internal static class PagedList
{
    /// <summary>Reads the pages from <paramref name="first"/> on.</summary>
    /// <param name="client">Sends the requests (auth, retries and errors included).</param>
    /// <param name="first">The first page's URL.</param>
    /// <param name="kind">What a page is, for a page over the cap.</param>
    /// <param name="what">Names the list in errors: "tag list of x", "catalog".</param>
    /// <param name="pageBytes">The cap for one page's body.</param>
    /// <param name="maxPages">How many pages to follow at most.</param>
    /// <param name="parse">Turns a page (its response and body) into items.</param>
    /// <param name="cancellationToken">Stops the listing.</param>
    public static async IAsyncEnumerable<T> ReadAsync<T>(
        RegistryClient client,
        Uri first,
        ContentKind kind,
        string what,
        long pageBytes,
        int maxPages,
        Func<HttpResponseMessage, byte[], IReadOnlyList<T>> parse,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Uri? next = first;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var page = 0; next is not null; page++)
        {
            if (page >= maxPages || !seen.Add(next.AbsoluteUri))
            {
                throw new OciException($"the {what} kept pointing to pages already read; stopping");
            }

            IReadOnlyList<T> items;
            using (var request = new HttpRequestMessage(HttpMethod.Get, next))
            using (var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false))
            {
                var bytes = await BodyReader.ReadCappedAsync(response.Content, pageBytes, kind, what, cancellationToken).ConfigureAwait(false);
                items = parse(response, bytes);
                next = RegistryClient.NextLink(response, next);
            }

            foreach (var item in items)
            {
                yield return item;
            }
        }
    }
}
