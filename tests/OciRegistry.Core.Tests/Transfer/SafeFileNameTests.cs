using OciRegistry.Core.Transfer;

namespace OciRegistry.Core.Tests.Transfer;

/// <summary>
/// Titles that would share a download's working files, that no file system can hold beside those working files,
/// or that would show as another name are refused like any other unsafe name.
/// </summary>
public sealed class SafeFileNameTests
{
    [Theory]
    [InlineData("report.partial")]
    [InlineData("data.partial.json")]
    [InlineData("REPORT.Partial")]
    [InlineData("x.PARTIAL.JSON")]
    public void Problem_WorkingFileSuffix_IsRefused(string title)
    {
        Assert.Contains(".partial", SafeFileName.Problem(title), System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("report")]
    [InlineData("partial")]
    [InlineData("report.partial.txt")]
    [InlineData("data.json")]
    public void Problem_OrdinaryName_IsAccepted(string title)
    {
        Assert.Null(SafeFileName.Problem(title));
    }

    [Theory]
    [InlineData(242, 'a', true)]
    [InlineData(243, 'a', false)]
    [InlineData(255, 'a', false)]
    [InlineData(121, 'é', true)]
    [InlineData(122, 'é', false)]
    public void Problem_LongName_IsRefusedWhereItsWorkingFilesWouldNotFit(int length, char filler, bool accepted)
    {
        // The longest working name is the title and ".partial.json": 255 bytes of UTF-8 (Linux, macOS) and 255
        // UTF-16 units (Windows) bound it; 'é' takes two bytes.
        var problem = SafeFileName.Problem(new string(filler, length));

        if (accepted)
        {
            Assert.Null(problem);
        }
        else
        {
            Assert.Contains("too long", problem, System.StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("invoice\u202Etxt.exe")]
    [InlineData("a\u202Ab")]
    [InlineData("a\u2066b\u2069")]
    [InlineData("a\u200Fb")]
    [InlineData("a\u061Cb")]
    [InlineData("zero\u200Bwidth")]
    [InlineData("joiner\u200Dhere")]
    [InlineData("word\u2060joiner")]
    [InlineData("\uFEFFbom")]
    [InlineData("soft\u00ADhyphen")]
    public void Problem_InvisibleOrDirectionCharacter_IsRefused(string title)
    {
        Assert.Contains("invisible", SafeFileName.Problem(title), System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0xD800, false)]
    [InlineData(0xDC00, true)]
    public void Problem_UnpairedSurrogate_IsRefused(int surrogate, bool first)
    {
        // Built here: test data with a lone surrogate does not survive the runner's serialisation.
        var title = first ? (char)surrogate + "half" : "half" + (char)surrogate;

        Assert.Contains("not valid Unicode", SafeFileName.Problem(title), System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("résumé.pdf")]
    [InlineData("日本語.txt")]
    [InlineData("emoji-😀.png")]
    [InlineData("عربي.txt")]
    public void Problem_OrdinaryUnicodeName_IsAccepted(string title)
    {
        Assert.Null(SafeFileName.Problem(title));
    }
}
