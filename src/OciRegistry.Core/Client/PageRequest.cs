namespace OciRegistry.Core.Client;

/// <summary>How to read a list the registry sends in linked pages: the first request and the page cap.</summary>
internal sealed class PageRequest
{
    /// <summary>Describes a paged listing.</summary>
    /// <param name="first">The first page's request: its kind, name and cap hold for every page.</param>
    /// <param name="maxPages">How many pages to follow before assuming the registry is looping.</param>
    public PageRequest(CappedRequest first, int maxPages)
    {
        First = first;
        Later = new CappedRequest(first.Kind, first.What, first.Limit);
        MaxPages = maxPages;
    }

    /// <summary>The first page's request, with any <c>Accept</c> list and answers left to the caller.</summary>
    public CappedRequest First { get; }

    /// <summary>
    /// The request for every later page: the first one's kind, name and cap, without its <c>Accept</c> list or
    /// answers left unread. A listing that has begun cannot fall back to something else, so every failure there is
    /// an error, and the page is asked for just as the registry's <c>Link</c> names it.
    /// </summary>
    public CappedRequest Later { get; }

    /// <summary>How many pages to follow at most, the first included.</summary>
    public int MaxPages { get; }
}
