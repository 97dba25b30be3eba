using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using OciRegistry.Core.Archive;

namespace OciRegistry.Core.Tests.Archive;

/// <summary>Each dialect's header fields, crafted byte by byte: v7, ustar, GNU, pax local and global records, number encodings.</summary>
public sealed class TarReaderDialectTests
{
    [Theory]
    [InlineData('\0', "plain", TarEntryType.File)]
    [InlineData('\0', "old-dir/", TarEntryType.Directory)]
    [InlineData('0', "old-dir/", TarEntryType.Directory)]
    [InlineData('7', "contiguous", TarEntryType.File)]
    [InlineData('1', "hard", TarEntryType.HardLink)]
    [InlineData('2', "sym", TarEntryType.SymbolicLink)]
    [InlineData('3', "chr", TarEntryType.CharacterDevice)]
    [InlineData('4', "blk", TarEntryType.BlockDevice)]
    [InlineData('5', "dir", TarEntryType.Directory)]
    [InlineData('6', "fifo", TarEntryType.Fifo)]
    public async Task TypeFlag_MapsToEntryType(char flag, string name, TarEntryType expected)
    {
        var archive = new TarBuilder().Entry(new TarHeaderSpec { Name = name, TypeFlag = flag, LinkName = "target" }).End().ToArray();

        var (entry, _) = Assert.Single(await Tars.ReadAllAsync(archive));

        Assert.Equal(expected, entry.Type);
        Assert.Equal(name, entry.Name);
        Assert.Equal(expected is TarEntryType.HardLink or TarEntryType.SymbolicLink ? "target" : "", entry.LinkName);
    }

    [Fact]
    public async Task V7Header_HasNoOwnerNamesOrDevices()
    {
        var archive = new TarBuilder()
            .Entry(TarHeaderSpec.V7("v7file", size: 3) with { Uid = 42, Gid = 7, UserName = "ignored" }, "abc"u8.ToArray())
            .End().ToArray();

        var (entry, data) = Assert.Single(await Tars.ReadAllAsync(archive));

        Assert.Equal(("v7file", TarEntryType.File, 42L, 7L, "", "abc"), (entry.Name, entry.Type, entry.Uid, entry.Gid, entry.UserName, Encoding.ASCII.GetString(data)));
    }

    [Fact]
    public async Task UstarPrefix_IsJoinedWithASlash_ButGnuPrefixAreaIsNot()
    {
        var archive = new TarBuilder()
            .Entry(new TarHeaderSpec { Name = "name", Prefix = "some/prefix" })
            .Entry(TarHeaderSpec.Gnu("gnu-name") with { PrefixBytes = Encoding.ASCII.GetBytes("14461231450\0") })
            .End().ToArray();

        var entries = await Tars.ReadAllAsync(archive);

        Assert.Equal(["some/prefix/name", "gnu-name"], entries.Select(e => e.Entry.Name));
    }

    [Fact]
    public async Task FullWidthNameField_WithoutNul_IsReadWhole()
    {
        var name = new string('n', 100);
        var archive = new TarBuilder().Entry(new TarHeaderSpec { Name = name, LinkName = new string('l', 100), TypeFlag = '2' }).End().ToArray();

        var (entry, _) = Assert.Single(await Tars.ReadAllAsync(archive));

        Assert.Equal((name, new string('l', 100)), (entry.Name, entry.LinkName));
    }

    [Fact]
    public async Task Mode_KeepsSpecialBits_AndDropsFileTypeBits()
    {
        var archive = new TarBuilder()
            .Entry(new TarHeaderSpec { Name = "setuid", Mode = Convert.ToInt32("4755", 8) })
            .Entry(new TarHeaderSpec { Name = "typed", Mode = Convert.ToInt32("100644", 8) })
            .End().ToArray();

        var entries = await Tars.ReadAllAsync(archive);

        Assert.Equal([Convert.ToInt32("4755", 8), Convert.ToInt32("644", 8)], entries.Select(e => e.Entry.Mode));
    }

    [Theory]
    [InlineData("0000644\0")]
    [InlineData("   644 \0")]
    [InlineData("644\0\0\0\0\0")]
    [InlineData("\0\0\0\0644 ")]
    [InlineData("00000644")]
    public async Task OctalFields_WithSpaceOrNulPadding_AreRead(string field)
    {
        var archive = new TarBuilder()
            .Entry(new TarHeaderSpec { RawFields = new Dictionary<int, byte[]> { [TarHeaderSpec.ModeField] = Encoding.ASCII.GetBytes(field) } })
            .End().ToArray();

        var (entry, _) = Assert.Single(await Tars.ReadAllAsync(archive));

        Assert.Equal(Convert.ToInt32("644", 8), entry.Mode);
    }

    [Fact]
    public async Task EmptyNumericField_IsZero()
    {
        var archive = new TarBuilder()
            .Entry(new TarHeaderSpec { RawFields = new Dictionary<int, byte[]> { [TarHeaderSpec.UidField] = new byte[8] } })
            .End().ToArray();

        Assert.Equal(0, Assert.Single(await Tars.ReadAllAsync(archive)).Entry.Uid);
    }

    [Fact]
    public async Task Base256Fields_AreRead()
    {
        var archive = new TarBuilder()
            .Entry(TarHeaderSpec.Gnu("big-ids") with
            {
                RawFields = new Dictionary<int, byte[]>
                {
                    [TarHeaderSpec.UidField] = TarHeaderSpec.Base256(1L << 40, 8),
                    [TarHeaderSpec.MTimeField] = TarHeaderSpec.Base256(32_503_680_000, 12),
                },
            })
            .End().ToArray();

        var (entry, _) = Assert.Single(await Tars.ReadAllAsync(archive));

        Assert.Equal(1L << 40, entry.Uid);
        Assert.Equal(new DateTimeOffset(3000, 1, 1, 0, 0, 0, TimeSpan.Zero), entry.ModifiedTime);
    }

    [Fact]
    public async Task SizeOver8GiB_InBase256_IsReported_AndMissingDataFailsWhenSkipped()
    {
        const long size = 10L * 1024 * 1024 * 1024;
        var archive = new TarBuilder()
            .Entry(TarHeaderSpec.Gnu("huge") with { RawFields = new Dictionary<int, byte[]> { [TarHeaderSpec.SizeField] = TarHeaderSpec.Base256(size, 12) } })
            .Raw(new byte[4096])
            .ToArray();
        using var reader = new TarReader(new ArchiveSource(archive));

        var entry = await reader.ReadNextAsync();

        Assert.Equal(size, entry!.Size);
        var refusal = await Assert.ThrowsAsync<TarFormatException>(() => reader.ReadNextAsync());
        Assert.Contains("ends inside", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(0, refusal.HeaderOffset);
        Assert.Equal("huge", refusal.EntryName);
    }

    [Fact]
    public async Task SizeOver8GiB_MissingDataFailsWhenRead()
    {
        var archive = new TarBuilder()
            .Entry(TarHeaderSpec.Gnu("huge") with { RawFields = new Dictionary<int, byte[]> { [TarHeaderSpec.SizeField] = TarHeaderSpec.Base256(9L << 30, 12) } })
            .Raw(new byte[1000])
            .ToArray();

        var refusal = await Tars.RefusalAsync(archive);

        Assert.StartsWith("the entry at byte 0 ('huge'): the archive ends inside the entry", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignedChecksum_IsAccepted()
    {
        var archive = new TarBuilder()
            .Entry(new TarHeaderSpec { NameBytes = [0xe9, 0xe8, (byte)'x'], Checksum = TarChecksum.Signed })
            .End().ToArray();

        var (entry, _) = Assert.Single(await Tars.ReadAllAsync(archive));

        Assert.Equal("éèx", entry.Name);
    }

    [Fact]
    public async Task Names_AreUtf8WhenValid_ElseLatin1_AndPaxKeepsNul()
    {
        var archive = new TarBuilder()
            .Entry(new TarHeaderSpec { NameBytes = Encoding.UTF8.GetBytes("grüße/日本") })
            .Entry(new TarHeaderSpec { NameBytes = [(byte)'c', 0xe9, (byte)'!'] })
            .Pax('x', ("path", "a\0b/../../etc"))
            .Entry(new TarHeaderSpec { Name = "short" })
            .End().ToArray();

        var entries = await Tars.ReadAllAsync(archive);

        Assert.Equal(["grüße/日本", "cé!", "a\0b/../../etc"], entries.Select(e => e.Entry.Name));
    }

    [Fact]
    public async Task PaxLocalRecords_OverrideTheHeader_ForOneEntryOnly()
    {
        var longPath = string.Join("/", Enumerable.Repeat("segment", 60));
        var archive = new TarBuilder()
            .Pax('x', ("path", longPath), ("size", "5"), ("uid", "123456789"), ("gid", "987654321"), ("uname", "päx"), ("gname", "grp"), ("unknown.key", "ignored"), ("mtime", "1700000000.123456789"))
            .Entry(new TarHeaderSpec { Name = "truncated-name", Size = 0, Uid = 1, UserName = "header" }, "12345"u8.ToArray())
            .Pax('x', ("linkpath", longPath))
            .Entry(new TarHeaderSpec { Name = "link", TypeFlag = '2', LinkName = "short" })
            .Entry(new TarHeaderSpec { Name = "after", Uid = 1, UserName = "header" })
            .End().ToArray();

        var entries = await Tars.ReadAllAsync(archive);

        var (first, data) = entries[0];
        Assert.Equal((longPath, 5L, 123456789L, 987654321L, "päx", "grp"), (first.Name, first.Size, first.Uid, first.Gid, first.UserName, first.GroupName));
        Assert.Equal("12345", Encoding.ASCII.GetString(data));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000).AddTicks(1_234_567), first.ModifiedTime);
        Assert.Equal(0, first.HeaderOffset);
        Assert.Equal(longPath, entries[1].Entry.LinkName);
        Assert.Equal(("after", 1L, "header"), (entries[2].Entry.Name, entries[2].Entry.Uid, entries[2].Entry.UserName));
    }

    [Theory]
    [InlineData("-1.5", -15_000_000)]
    [InlineData("0.0000001", 1)]
    [InlineData("12", 120_000_000)]
    [InlineData("1.", 10_000_000)]
    public async Task PaxMtime_WithSignAndFraction_IsExact(string mtime, long ticksSinceEpoch)
    {
        var archive = new TarBuilder().Pax('x', ("mtime", mtime)).Entry(new TarHeaderSpec()).End().ToArray();

        var (entry, _) = Assert.Single(await Tars.ReadAllAsync(archive));

        Assert.Equal(DateTimeOffset.UnixEpoch.AddTicks(ticksSinceEpoch), entry.ModifiedTime);
    }

    [Fact]
    public async Task PaxGlobalRecords_AreDefaultsForLaterEntries_ButNotPathOrSize()
    {
        var archive = new TarBuilder()
            .Entry(new TarHeaderSpec { Name = "before", Uid = 1 })
            .Pax('g', ("uid", "500"), ("gid", "600"), ("uname", "gu"), ("gname", "gg"), ("mtime", "1000.5"), ("path", "every/file"), ("size", "99"), ("linkpath", "x"))
            .Entry(new TarHeaderSpec { Name = "defaulted", Uid = 1, Gid = 2, UserName = "hu" })
            .Pax('x', ("uid", "7"), ("uname", "local"))
            .Entry(new TarHeaderSpec { Name = "overridden", TypeFlag = '2', LinkName = "target" })
            .Pax('g', ("uname", ""))
            .Entry(new TarHeaderSpec { Name = "cleared", UserName = "hu" })
            .End().ToArray();

        var entries = await Tars.ReadAllAsync(archive);

        Assert.Equal(["before", "defaulted", "overridden", "cleared"], entries.Select(e => e.Entry.Name));
        Assert.Equal(1, entries[0].Entry.Uid);
        var defaulted = entries[1].Entry;
        Assert.Equal((500L, 600L, "gu", "gg", 0L), (defaulted.Uid, defaulted.Gid, defaulted.UserName, defaulted.GroupName, defaulted.Size));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_000_500), defaulted.ModifiedTime);
        Assert.Equal((7L, 600L, "local", "target"), (entries[2].Entry.Uid, entries[2].Entry.Gid, entries[2].Entry.UserName, entries[2].Entry.LinkName));
        Assert.Equal(("hu", 500L), (entries[3].Entry.UserName, entries[3].Entry.Uid));
        Assert.Equal(4, entries.Count);
    }

    [Fact]
    public async Task GnuLongNameAndLink_OverrideTheHeader_AndPaxOverridesThem()
    {
        var longName = new string('n', 300);
        var longLink = new string('k', 5000 - 1);
        var archive = new TarBuilder()
            .GnuLong('L', longName)
            .GnuLong('K', longLink)
            .Entry(TarHeaderSpec.Gnu("truncated", '1') with { LinkName = "trunc-link" })
            .Pax('x', ("path", "pax-wins"))
            .GnuLong('L', longName)
            .Entry(TarHeaderSpec.Gnu("truncated"))
            .End().ToArray();

        var entries = await Tars.ReadAllAsync(archive, new TarLimits { MaximumNameBytes = 5000 });

        Assert.Equal((longName, TarEntryType.HardLink, longLink), (entries[0].Entry.Name, entries[0].Entry.Type, entries[0].Entry.LinkName));
        Assert.Equal("pax-wins", entries[1].Entry.Name);
    }

    [Fact]
    public async Task VolumeLabel_IsSkipped()
    {
        var archive = new TarBuilder()
            .Entry(TarHeaderSpec.Gnu("Volume 1", 'V'))
            .Entry(TarHeaderSpec.Gnu("labelled", 'V', 3), "abc"u8.ToArray())
            .File("real", "data")
            .End().ToArray();

        var (entry, data) = Assert.Single(await Tars.ReadAllAsync(archive));

        Assert.Equal(("real", "data", 1536L), (entry.Name, Encoding.ASCII.GetString(data), entry.HeaderOffset));
    }

    [Fact]
    public async Task DeviceNumbers_AreReadForDevicesOnly()
    {
        var archive = new TarBuilder()
            .Entry(new TarHeaderSpec { Name = "null", TypeFlag = '3', DeviceMajor = 1, DeviceMinor = 3 })
            .Entry(new TarHeaderSpec { Name = "file", DeviceMajor = 9, RawFields = new Dictionary<int, byte[]> { [TarHeaderSpec.DevMajorField] = "junk"u8.ToArray() } })
            .End().ToArray();

        var entries = await Tars.ReadAllAsync(archive);

        Assert.Equal((1, 3), (entries[0].Entry.DeviceMajor, entries[0].Entry.DeviceMinor));
        Assert.Equal((0, 0), (entries[1].Entry.DeviceMajor, entries[1].Entry.DeviceMinor));
    }
}
