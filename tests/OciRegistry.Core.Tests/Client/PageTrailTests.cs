using System;
using System.Net.Http;
using OciRegistry.Core.Client;

namespace OciRegistry.Core.Tests.Client;

/// <summary>The loop and page-cap rules of a paged listing, and the next link it follows, without any HTTP.</summary>
public sealed class PageTrailTests
{
    private static readonly Uri Page1 = new("https://registry.example/v2/team/app/tags/list?n=1");
    private static readonly Uri Page2 = new("https://registry.example/v2/team/app/tags/list?n=1&last=a");

    [Fact]
    public void Enter_NewPages_AreAccepted()
    {
        var trail = new PageTrail("tag list of team/app", maxPages: 2);

        trail.Enter(Page1);
        trail.Enter(Page2);
    }

    [Fact]
    public void Enter_PageAlreadyRead_FailsNamingTheList()
    {
        var trail = new PageTrail("tag list of team/app", maxPages: 10);
        trail.Enter(Page1);
        trail.Enter(Page2);

        var e = Assert.Throws<OciException>(() => trail.Enter(new Uri("https://REGISTRY.example:443/v2/team/app/tags/list?n=1")));

        Assert.Equal("the tag list of team/app kept pointing to pages already read; stopping", e.Message);
    }

    [Fact]
    public void Enter_PastTheCap_Fails()
    {
        var trail = new PageTrail("catalog of registry.example", maxPages: 1);
        trail.Enter(Page1);

        Assert.Throws<OciException>(() => trail.Enter(Page2));
    }

    [Fact]
    public void Enter_QueryThatDiffers_IsAnotherPage()
    {
        var trail = new PageTrail("tag list of team/app", maxPages: 10);
        trail.Enter(Page1);

        trail.Enter(new Uri("https://registry.example/v2/team/app/tags/list?n=1&last=b"));
    }

    [Theory]
    [InlineData("</v2/team/app/tags/list?n=1&last=a>; rel=\"next\"", "https://registry.example/v2/team/app/tags/list?n=1&last=a")]
    [InlineData("<list?last=a>; rel=next", "https://registry.example/v2/team/app/tags/list?last=a")]
    [InlineData("</x>; rel=\"prev\", <https://registry.example/v2/y>; rel=\"last next\"", "https://registry.example/v2/y")]
    public void NextLink_NextRelation_IsResolvedAgainstThePage(string link, string expected)
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("Link", link);

        Assert.Equal(expected, PageTrail.NextLink(response.Headers, Page1)?.AbsoluteUri);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("</x>; rel=\"prev\"")]
    [InlineData("</x>")]
    public void NextLink_NoNextRelation_IsNull(string? link)
    {
        using var response = new HttpResponseMessage();
        if (link is not null)
        {
            response.Headers.TryAddWithoutValidation("Link", link);
        }

        Assert.Null(PageTrail.NextLink(response.Headers, Page1));
    }

    [Theory]
    [InlineData("<https://evil.example/v2/x>; rel=next", "another origin")]
    [InlineData("<ftp://registry.example/x>; rel=next", "not a usable URL")]
    [InlineData("</v2/x; rel=next", "malformed Link header")]
    public void NextLink_UnfollowableNext_FailsAsIncomplete(string link, string expected)
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("Link", link);

        var e = Assert.Throws<OciException>(() => PageTrail.NextLink(response.Headers, Page1));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Contains("incomplete", e.Message, StringComparison.Ordinal);
    }
}
