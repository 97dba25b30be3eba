using System;
using System.Collections.Generic;
using System.Linq;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Tests.References;

public sealed class TagVersionComparerTests
{
    private const string Big = "123456789012345678901234567890";

    // The whole expected order, oldest version first, written out by hand: versions by value (ties by ordinal text),
    // then every tag that is not a version in ordinal order.
    private static readonly string[] Versions =
    [
        "0.0.1-alpha",
        "0.0.1",
        "0.1",
        "0.9.9",
        "0.10.0",
        "1.0.0-0",
        "1-alpha",              // equal by value to 1.0.0-alpha; '-' sorts before '.'
        "1.0.0-alpha",
        "1.0.0-alpha.1",
        "1.0.0-alpha.beta",
        "1.0.0-beta",
        "1.0.0-beta.2",
        "1.0.0-beta.11",
        "1.0.0-rc.1",
        "1",
        "1.0",
        "1.0.0",
        "1.0.0.0",
        "V1",
        "v1",
        "v1.0.0",
        "1.0.0.1",
        "1.0.1",
        "1.1",
        "1.2-rc.1",
        "1.2",
        "1.2.0",
        "1.2.3-alpha",
        "1.2.3-alpha.2",
        "1.2.3-alpha.10",
        "1.2.3-alpha." + Big,
        "1.2.3-alpha.beta",
        "1.2.3-beta",
        "1.2.3-rc.1",
        "1.2.3-rc.1-x",         // "1-x" is alphanumeric, so above the numeric "1"
        "1.2.3-rc-1",           // "rc-1" is above its prefix "rc"
        "001.02.03",
        "01.2.3",
        "1.2.3",
        "1.2.3.0",
        "v1.2.3",
        "1.2.3.4",
        "1.2.10",
        "1.10.0-rc.1",
        "1.10",
        "1.10.1",
        "2.0.0-rc.1",
        "2.0.0",
        "9.99.999",
        "10.0.0",
        "2024.01.15",           // dotted dates are calendar versions
        "2024.1.16",
        "99999999999999999999", // past long.MaxValue
        "000" + Big,
        Big,
        Big + ".1",
        "123456789012345678901234567891",
    ];

    private static readonly string[] Names =
    [
        "1.",
        "1..2",
        "1.2-rc_1",
        "1.2.3-",
        "1.2.3-alpha.",
        "1.2.3.4.5",            // five numeric parts
        "1.2.3_x",
        "2024-01-01",           // a date, not a pre-release of 2024
        "2024-02-01",
        "20240115-3",
        "Latest",
        "V1.2.3-",
        "latest",
        "main",
        "sha-abc123",
        "stable",
        "v",
        "v.1",
        "v2024-01-01",
        "vv1",
        "x1.0",
    ];

    public static TheoryData<int> Seeds => [1, 2, 3, 42, 1234, 99991];

    [Fact]
    public void Table_IsLargeAndHasNoDuplicates()
    {
        var all = Versions.Concat(Names).ToArray();

        Assert.True(all.Length >= 60, $"{all.Length} tags");
        Assert.Equal(all.Length, all.Distinct(StringComparer.Ordinal).Count());
        Assert.All(Versions, tag => Assert.True(TagVersion.TryParse(tag, out _), tag));
        Assert.All(Names, tag => Assert.False(TagVersion.TryParse(tag, out _), tag));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Sort_ShuffledTags_VersionsOldestFirstThenNames(int seed)
    {
        var shuffled = Shuffle(Versions.Concat(Names), seed);

        Assert.Equal(Versions.Concat(Names), TagVersionComparer.Ascending.Sort(shuffled));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Sort_Descending_VersionsNewestFirstNamesStillLastInNameOrder(int seed)
    {
        var shuffled = Shuffle(Versions.Concat(Names), seed);

        Assert.Equal(Versions.Reverse().Concat(Names), TagVersionComparer.Descending.Sort(shuffled));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Compare_UsedByListSort_GivesTheSameOrderAsSort(int seed)
    {
        var ascending = Shuffle(Versions.Concat(Names), seed).ToList();
        var descending = Shuffle(Versions.Concat(Names), seed + 1).ToList();

        ascending.Sort(TagVersionComparer.Ascending);
        descending.Sort(TagVersionComparer.Descending);

        Assert.Equal(Versions.Concat(Names), ascending);
        Assert.Equal(Versions.Reverse().Concat(Names), descending);
    }

    [Fact]
    public void Compare_EveryPair_IsAntisymmetricAndZeroOnlyForTheSameTag()
    {
        var all = Versions.Concat(Names).ToArray();
        foreach (var x in all)
        {
            foreach (var y in all)
            {
                var forward = TagVersionComparer.Ascending.Compare(x, y);
                Assert.Equal(-forward, TagVersionComparer.Ascending.Compare(y, x));
                Assert.Equal(string.Equals(x, y, StringComparison.Ordinal), forward == 0);
            }
        }
    }

    [Fact]
    public void Compare_Null_SortsFirst()
    {
        Assert.True(TagVersionComparer.Ascending.Compare(null, "1.0") < 0);
        Assert.True(TagVersionComparer.Ascending.Compare("latest", null) > 0);
        Assert.Equal(0, TagVersionComparer.Ascending.Compare(null, null));
    }

    [Fact]
    public void Sort_NullTag_Throws()
    {
        Assert.Throws<ArgumentException>(() => TagVersionComparer.Ascending.Sort(["1.0", null!]));
    }

    private static string[] Shuffle(IEnumerable<string> tags, int seed)
    {
        var array = tags.ToArray();
        var random = new Random(seed);
        for (var i = array.Length - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (array[i], array[j]) = (array[j], array[i]);
        }

        return array;
    }
}
