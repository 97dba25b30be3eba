using OciRegistry.Core.Models;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Tests.Models;

public sealed class PlatformTests
{
    [Theory]
    [InlineData("linux/amd64", "linux", "amd64", null)]
    [InlineData("linux/arm64/v8", "linux", "arm64", "v8")]
    [InlineData("Linux/AMD64", "linux", "amd64", null)]
    [InlineData(" windows/amd64 ", "windows", "amd64", null)]
    public void Parse_ValidText_SplitsAndLowercases(string text, string os, string architecture, string? variant)
    {
        var platform = Platform.Parse(text);

        Assert.Equal(os, platform.Os);
        Assert.Equal(architecture, platform.Architecture);
        Assert.Equal(variant, platform.Variant);
    }

    [Theory]
    [InlineData("")]
    [InlineData("linux")]
    [InlineData("linux/")]
    [InlineData("/amd64")]
    [InlineData("linux//v8")]
    [InlineData("linux/arm64/v8/x")]
    [InlineData("linux/ amd64")]
    [InlineData("lin\tux/amd64")]
    [InlineData("linux\\amd64")]
    [InlineData("linux/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData(null)]
    public void Parse_InvalidText_ThrowsInvalidPlatformException(string? text)
    {
        var e = Assert.Throws<InvalidPlatformException>(() => Platform.Parse(text!));

        Assert.Contains("is not a platform: write os/architecture[/variant]", e.Message, System.StringComparison.Ordinal);
        Assert.DoesNotContain("reference", e.Message, System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("amd64", "linux/amd64 or windows/amd64")]
    [InlineData(" ARM64 ", "linux/arm64 or windows/arm64")]
    public void Parse_LoneArchitecture_IsRefusedWithTheFullForms(string text, string suggestion)
    {
        var e = Assert.Throws<InvalidPlatformException>(() => Platform.Parse(text));

        Assert.Contains(suggestion, e.Message, System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("linux/arm64/v8", "linux/arm64", true)]
    [InlineData("linux/arm64", "linux/arm64/v8", true)]
    [InlineData("linux/arm64/8", "linux/arm64/v8", true)]
    [InlineData("linux/aarch64", "linux/arm64/v8", true)]
    [InlineData("linux/x86_64", "linux/amd64", true)]
    [InlineData("linux/arm/v7", "linux/arm", true)]
    [InlineData("linux/arm", "linux/arm/v7", true)]
    [InlineData("linux/arm/v6", "linux/arm/v7", false)]
    [InlineData("linux/arm/v7", "linux/arm/v6", false)]
    [InlineData("linux/arm64/v9", "linux/arm64/v8", false)]
    [InlineData("linux/amd64", "linux/arm64", false)]
    [InlineData("windows/amd64", "linux/amd64", false)]
    [InlineData("LINUX/AMD64", "linux/amd64", true)]
    public void Satisfies_EntryAndWanted_MatchesLikeContainerd(string entry, string wanted, bool expected)
    {
        Assert.Equal(expected, Platform.Parse(entry).Satisfies(Platform.Parse(wanted)));
    }

    [Theory]
    [InlineData("10.0.17763.1879", "10.0.17763", true)]
    [InlineData("10.0.17763.1879", null, true)]
    [InlineData("10.0.20348.1", "10.0.17763", false)]
    [InlineData(null, "10.0.17763", false)]
    public void Satisfies_WantedOsVersion_MatchesByPrefix(string? entryVersion, string? wantedVersion, bool expected)
    {
        var entry = new Platform("windows", "amd64", osVersion: entryVersion);

        Assert.Equal(expected, entry.Satisfies(new Platform("windows", "amd64", osVersion: wantedVersion)));
    }

    [Fact]
    public void ToString_WithAndWithoutVariant_IsSlashSeparated()
    {
        Assert.Equal("linux/arm64/v8", new Platform("linux", "arm64", "v8").ToString());
        Assert.Equal("linux/amd64", new Platform("linux", "amd64", string.Empty).ToString());
    }
}
