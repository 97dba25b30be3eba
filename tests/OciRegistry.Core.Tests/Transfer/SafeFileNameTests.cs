using OciRegistry.Core.Transfer;

namespace OciRegistry.Core.Tests.Transfer;

/// <summary>Titles that would share a download's working files are refused like any other unsafe name.</summary>
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
}
