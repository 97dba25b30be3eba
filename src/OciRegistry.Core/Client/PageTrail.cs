using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http.Headers;

namespace OciRegistry.Core.Client;

/// <summary>
/// The pages one listing has followed through <c>Link: &lt;…&gt;; rel="next"</c> (RFC 8288; the tag list, the catalog,
/// referrers). A next link that is malformed, leaves the origin, points to a page already read, or goes past the page
/// cap ends the listing with an error: each of those would otherwise look like a complete list, or never end.
/// </summary>
/// <remarks>https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-tags (pagination).</remarks>
internal sealed class PageTrail
{
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);
    private readonly string _what;
    private readonly int _maxPages;

    /// <summary>Starts a trail.</summary>
    /// <param name="what">Names the list in errors: "tag list of x", "catalog of r".</param>
    /// <param name="maxPages">How many pages to follow at most.</param>
    public PageTrail(string what, int maxPages)
    {
        _what = what;
        _maxPages = maxPages;
    }

    /// <summary>Records that <paramref name="page"/> is about to be read.</summary>
    /// <exception cref="OciException">It was read already, or the cap is reached.</exception>
    public void Enter(Uri page)
    {
        if (_read.Count >= _maxPages || !_read.Add(page.AbsoluteUri))
        {
            throw new OciException($"the {_what} kept pointing to pages already read; stopping");
        }
    }

    /// <summary>
    /// The <c>rel="next"</c> target of the <c>Link</c> headers, resolved against the page's URL; null when there is
    /// none. A malformed header, or a next page on another origin (which would get our credentials), is an error
    /// rather than a quiet end: either way the list would look complete while it is not.
    /// </summary>
    public static Uri? NextLink(HttpResponseHeaders headers, Uri current)
    {
        if (!headers.TryGetValues("Link", out var values))
        {
            return null;
        }

        foreach (var value in values)
        {
            IReadOnlyList<LinkHeader.Link> links;
            try
            {
                links = LinkHeader.Parse(value);
            }
            catch (FormatException e)
            {
                throw new OciException($"the registry sent a malformed Link header for the next page ({e.Message}); the list would be incomplete", e);
            }

            foreach (var link in links)
            {
                if (!link.Relations.Contains("next"))
                {
                    continue;
                }

                if (!Uri.TryCreate(current, link.Target, out var target) || (target.Scheme != Uri.UriSchemeHttp && target.Scheme != Uri.UriSchemeHttps))
                {
                    throw new OciException($"the registry's Link to the next page is not a usable URL; the list would be incomplete");
                }

                if (!RedirectHandler.SameOrigin(current, target))
                {
                    throw new OciException($"the registry's next page is on another origin ({target.Scheme}://{target.Authority}); it was not followed, so the list would be incomplete");
                }

                return target;
            }
        }

        return null;
    }
}
