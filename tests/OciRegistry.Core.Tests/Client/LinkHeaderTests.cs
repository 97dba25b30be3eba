using System;
using System.Linq;
using OciRegistry.Core.Client;

namespace OciRegistry.Core.Tests.Client;

/// <summary>The RFC 8288 Link parser, alone.</summary>
public sealed class LinkHeaderTests
{
    [Fact]
    public void Parse_SeveralLinksWithQuotedCommasAndEscapes_SplitsOnlyBetweenLinks()
    {
        var links = LinkHeader.Parse("<a,b?x=1>; title=\"one, \\\"two\\\"\"; rel=\"prev\" ,, <c>;rel=next;anchor=\"#x\"");

        Assert.Equal(["a,b?x=1", "c"], links.Select(l => l.Target));
        Assert.Equal(["prev"], links[0].Relations);
        Assert.Equal(["next"], links[1].Relations);
    }

    [Fact]
    public void Parse_RelWithSeveralTypesInAnyCase_LowerCasesEach()
    {
        var link = Assert.Single(LinkHeader.Parse("</v2/x>; REL=\"Next  LAST\""));

        Assert.Equal(["next", "last"], link.Relations);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ,  ")]
    public void Parse_Empty_HasNoLinks(string value) => Assert.Empty(LinkHeader.Parse(value));

    [Theory]
    [InlineData("/v2/x; rel=next")]
    [InlineData("</v2/x; rel=next")]
    [InlineData("</v2/x> rel=next")]
    [InlineData("</v2/x>; =next")]
    [InlineData("</v2/x>; rel=\"next")]
    public void Parse_Malformed_IsAFormatException(string value) => Assert.Throws<FormatException>(() => LinkHeader.Parse(value));
}
