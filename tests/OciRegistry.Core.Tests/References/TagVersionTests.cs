using OciRegistry.Core.References;

namespace OciRegistry.Core.Tests.References;

public sealed class TagVersionTests
{
    [Theory]
    [InlineData("1", "1", "")]
    [InlineData("v1.2", "1 2", "")]
    [InlineData("V01.002.3.4", "01 002 3 4", "")]
    [InlineData("1.2.3-alpha.10", "1 2 3", "alpha 10")]
    [InlineData("1-alpha", "1", "alpha")]
    [InlineData("1.2.3-rc-1.x-y", "1 2 3", "rc-1 x-y")]
    [InlineData("1.2.3--", "1 2 3", "-")]
    [InlineData("2024.01.15", "2024 01 15", "")]
    [InlineData("2024.1-01", "2024 1", "01")]
    [InlineData("123456789012345678901234567890.1", "123456789012345678901234567890 1", "")]
    public void TryParse_Version_SplitsNumbersAndPreRelease(string tag, string numbers, string preRelease)
    {
        Assert.True(TagVersion.TryParse(tag, out var version));

        Assert.Equal(tag, version!.Tag);
        Assert.Equal(numbers, string.Join(" ", version.Numbers));
        Assert.Equal(preRelease, string.Join(" ", version.PreRelease));
        Assert.Equal(preRelease.Length > 0, version.IsPreRelease);
    }

    [Theory]
    [InlineData("")]
    [InlineData("latest")]
    [InlineData("v")]
    [InlineData("vv1")]
    [InlineData("1.")]
    [InlineData(".1")]
    [InlineData("1..2")]
    [InlineData("1.2.3.4.5")]
    [InlineData("1.2.3-")]
    [InlineData("1.2.3-a..b")]
    [InlineData("1.2.3-a.")]
    [InlineData("1.2.3-rc_1")]
    [InlineData("1.2.3+build")]
    [InlineData("1.2.3 ")]
    [InlineData("1.2.3\n")]
    [InlineData("١.٢")]             // Arabic-Indic digits
    [InlineData("2024-01-01")]      // a date
    [InlineData("v2024-01-01")]
    [InlineData("20240115-3")]      // a build stamp
    [InlineData("sha-abc123")]
    public void TryParse_NotAVersion_ReturnsFalse(string tag)
    {
        Assert.False(TagVersion.TryParse(tag, out var version));
        Assert.Null(version);
    }

    [Fact]
    public void TryParse_Null_ReturnsFalse()
    {
        Assert.False(TagVersion.TryParse(null, out _));
    }

    [Theory]
    [InlineData("1.2", "1.2.0.0", 0)]
    [InlineData("01.2.3", "1.2.3", 0)]
    [InlineData("1.9", "1.10", -1)]
    [InlineData("1.2.3-rc.2", "1.2.3-rc.10", -1)]
    [InlineData("1.2.3-rc.10", "1.2.3", -1)]
    [InlineData("1.2.3-rc.01", "1.2.3-rc.1", 0)]
    [InlineData("1.2.3-1", "1.2.3-a", -1)]
    [InlineData("1.2.3-a", "1.2.3-a.0", -1)]
    [InlineData("1.2.3-B", "1.2.3-a", -1)]
    [InlineData("999999999999999999999999999999", "1000000000000000000000000000000", -1)]
    [InlineData("0000000000000000000000000000010", "9", 1)]
    public void CompareValues_ComparesByValue(string x, string y, int expected)
    {
        TagVersion.TryParse(x, out var a);
        TagVersion.TryParse(y, out var b);

        Assert.Equal(expected, TagVersion.CompareValues(a!, b!));
        Assert.Equal(-expected, TagVersion.CompareValues(b!, a!));
    }
}
