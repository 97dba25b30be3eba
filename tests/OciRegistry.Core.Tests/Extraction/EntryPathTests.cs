using OciRegistry.Core.Extraction;
using Xunit;

namespace OciRegistry.Core.Tests.Extraction;

public sealed class EntryPathTests
{
    [Theory]
    [InlineData("./etc/passwd", "etc/passwd")]
    [InlineData("etc//x/./y/", "etc/x/y")]
    [InlineData("./", "")]
    public void TryNormalize_DropsDotsAndEmptyComponents(string name, string expected)
    {
        Assert.True(EntryPath.TryNormalize(name, windowsNames: false, out var path, out _));
        Assert.Equal(expected, path);
    }

    [Theory]
    [InlineData("/etc/passwd", "absolute")]
    [InlineData("a/../../b", "'..'")]
    [InlineData("..", "'..'")]
    [InlineData("a\0b", "NUL")]
    public void TryNormalize_RefusesEscapes_OnEveryPlatform(string name, string because)
    {
        Assert.False(EntryPath.TryNormalize(name, windowsNames: false, out _, out var reason));
        Assert.Contains(because, reason, System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CON")]
    [InlineData("dir/aux.txt")]
    [InlineData("lpt1.log")]
    [InlineData("COM\u00b9")]
    [InlineData("a\\b")]
    [InlineData("C:")]
    [InlineData("file:stream")]
    [InlineData("dot.")]
    [InlineData("space ")]
    [InlineData("star*")]
    public void TryNormalize_RefusesWhatWindowsReadsOtherwise_UnderWindowsRules(string name)
    {
        Assert.False(EntryPath.TryNormalize(name, windowsNames: true, out _, out _));
        Assert.True(EntryPath.TryNormalize(name, windowsNames: false, out _, out _));
    }

    [Theory]
    [InlineData("usr/bin/tool", "../lib/x", "usr/lib/x")]
    [InlineData("a/link", "/etc/passwd", "etc/passwd")]
    [InlineData("a/link", "../../../../etc/passwd", "etc/passwd")]
    [InlineData("link", ".", "")]
    public void ResolveLink_StaysInsideTheRoot(string link, string target, string expected) =>
        Assert.Equal(expected, EntryPath.ResolveLink(link, target));

    [Fact]
    public void Printable_EscapesControlCharacters() =>
        Assert.Equal("a\\0b\\x1b", EntryPath.Printable("a\0b\u001b"));
}
