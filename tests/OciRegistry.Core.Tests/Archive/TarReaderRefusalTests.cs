using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using OciRegistry.Core.Archive;

namespace OciRegistry.Core.Tests.Archive;

/// <summary>Hostile and damaged archives: each is refused with a <see cref="TarFormatException"/> that says what and where.</summary>
public sealed class TarReaderRefusalTests
{
    private static readonly byte[] Ok = new TarBuilder().File("ok", "fine").ToArray();

    [Theory]
    [InlineData('S', "sparse")]
    [InlineData('M', "multi-volume")]
    [InlineData('D', "'D' is not one this reader knows")]
    [InlineData('Z', "'Z' is not one this reader knows")]
    [InlineData('N', "'N' is not one this reader knows")]
    public async Task UnsupportedTypeFlags_AreRefused(char flag, string expected)
    {
        var archive = new TarBuilder().Raw(Ok).Entry(TarHeaderSpec.Gnu("odd", flag)).End().ToArray();

        var refusal = await Tars.RefusalAsync(archive);

        Assert.Contains(expected, refusal.Message, StringComparison.Ordinal);
        Assert.Equal((1024L, "odd"), (refusal.HeaderOffset, refusal.EntryName));
        Assert.StartsWith("the entry at byte 1024 ('odd'): ", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ControlByteTypeFlag_IsNamedInHex()
    {
        var refusal = await Tars.RefusalAsync(new TarBuilder().Entry(new TarHeaderSpec { TypeFlag = '\x01' }).End().ToArray());

        Assert.Contains("0x01", refusal.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GNU.sparse.major")]
    [InlineData("GNU.sparse.map")]
    [InlineData("GNU.sparse.size")]
    public async Task PaxSparseKeys_AreRefused_LocalOrGlobal(string key)
    {
        foreach (var type in new[] { 'x', 'g' })
        {
            var archive = new TarBuilder().Pax(type, (key, "1")).Entry(new TarHeaderSpec()).End().ToArray();

            var refusal = await Tars.RefusalAsync(archive);

            Assert.Contains("sparse", refusal.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task WrongChecksum_IsRefused()
    {
        var archive = new TarBuilder().Raw(Ok).Entry(new TarHeaderSpec { Checksum = TarChecksum.Wrong }).End().ToArray();

        var refusal = await Tars.RefusalAsync(archive);

        Assert.Equal("the entry at byte 1024: the header checksum does not match (this is not a tar header, or it is damaged)", refusal.Message);
    }

    [Fact]
    public async Task RandomBytes_AreRefusedByTheChecksum()
    {
        var noise = new byte[2048];
        new Random(7).NextBytes(noise);

        var refusal = await Tars.RefusalAsync(noise);

        Assert.Contains("checksum", refusal.Message, StringComparison.Ordinal);
    }

    public static TheoryData<int, byte[], string> BadNumbers => new()
    {
        { TarHeaderSpec.SizeField, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe], "the size field is negative" },
        { TarHeaderSpec.SizeField, [0x80, 0, 0, 0x80, 0, 0, 0, 0, 0, 0, 0, 0], "the size field does not fit a 64-bit number" },
        { TarHeaderSpec.SizeField, [0x80, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], "the size field does not fit a 64-bit number" },
        { TarHeaderSpec.UidField, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], "the uid field is negative" },
        { TarHeaderSpec.ModeField, "0644x\0\0\0"u8.ToArray(), "the mode field is not an octal number" },
        { TarHeaderSpec.GidField, "06 44\0\0\0"u8.ToArray(), "the gid field is not an octal number" },
        { TarHeaderSpec.MTimeField, "99999999999\0"u8.ToArray(), "the mtime field is not an octal number" },
    };

    [Theory]
    [MemberData(nameof(BadNumbers))]
    public async Task BadNumericFields_AreRefused(int field, byte[] bytes, string expected)
    {
        var archive = new TarBuilder().Entry(TarHeaderSpec.Gnu("n") with { RawFields = new Dictionary<int, byte[]> { [field] = bytes } }).End().ToArray();

        var refusal = await Tars.RefusalAsync(archive);

        Assert.Equal($"the entry at byte 0 ('n'): {expected}", refusal.Message);
    }

    [Fact]
    public async Task Base256MtimeBeyondYear9999_IsRefused()
    {
        var archive = new TarBuilder()
            .Entry(TarHeaderSpec.Gnu("late") with { RawFields = new Dictionary<int, byte[]> { [TarHeaderSpec.MTimeField] = TarHeaderSpec.Base256(long.MaxValue, 12) } })
            .End().ToArray();

        var refusal = await Tars.RefusalAsync(archive);

        Assert.Contains("not a time in range", refusal.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> MalformedPax => new()
    {
        { "30 path=short\n", "its length field (30) does not match the record" },
        { "5 path=short\n", "it does not end with a newline" },
        { "3 \n", "it has no '='" },
        { "1 path=short\n", "its length field (1) does not match the record" },
        { "13 pathshort\n", "it has no '='" },
        { "14 path=short!", "it does not end with a newline" },
        { "9 =value\n", "its keyword is empty" },
        { "path=x\n", "it does not start with a decimal length and a space" },
        { "x5 path=\n", "it does not start with a decimal length and a space" },
        { "11 path=ab\n\0\0\0", "it does not start with a decimal length and a space" },
    };

    public static TheoryData<string, string, string> BadPaxValues => new()
    {
        { "size", "-5", "the pax size '-5' is not a non-negative decimal number that fits 64 bits" },
        { "size", "99999999999999999999", "the pax size '99999999999999999999' is not a non-negative decimal number" },
        { "size", " 5", "the pax size ' 5' is not a non-negative decimal number" },
        { "uid", "0x10", "the pax uid '0x10' is not a non-negative decimal number" },
        { "gid", "-1", "the pax gid '-1' is not a non-negative decimal number" },
        { "mtime", "1.5.5", "the pax mtime '1.5.5' is not a time in range" },
        { "mtime", "-", "the pax mtime '-' is not a time in range" },
        { "mtime", "999999999999999999999999", "the pax mtime '999999999999999999999999' is not a time in range" },
        { "mtime", "300000000000.25", "the pax mtime '300000000000.25' is not a time in range" },
    };

    [Theory]
    [MemberData(nameof(BadPaxValues))]
    public async Task BadPaxValues_AreRefused(string key, string value, string expected)
    {
        var archive = new TarBuilder().Pax('x', (key, value)).Entry(new TarHeaderSpec()).End().ToArray();

        var refusal = await Tars.RefusalAsync(archive);

        Assert.StartsWith($"the entry at byte 0: {expected}", refusal.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(MalformedPax))]
    public async Task MalformedPaxRecords_AreRefused(string body, string expected)
    {
        var archive = new TarBuilder().Raw(Ok).PaxBody('x', Encoding.ASCII.GetBytes(body)).Entry(new TarHeaderSpec()).End().ToArray();

        var refusal = await Tars.RefusalAsync(archive);

        Assert.Contains(expected, refusal.Message, StringComparison.Ordinal);
        Assert.Equal(1024, refusal.HeaderOffset);
    }

    [Fact]
    public async Task HeaderOnlyEntryDeclaringData_IsRefused()
    {
        var archive = new TarBuilder().Entry(new TarHeaderSpec { Name = "dir/", TypeFlag = '5', Size = 512 }, new byte[512]).End().ToArray();

        var refusal = await Tars.RefusalAsync(archive);

        Assert.Equal("the entry at byte 0 ('dir/'): a directory entry declares 512 data bytes; only regular files carry data", refusal.Message);
    }

    [Fact]
    public async Task PaxSizeOnASymlink_IsRefused()
    {
        var archive = new TarBuilder().Pax('x', ("size", "100")).Entry(new TarHeaderSpec { Name = "l", TypeFlag = '2' }).End().ToArray();

        var refusal = await Tars.RefusalAsync(archive);

        Assert.Contains("a symbolic link entry declares 100 data bytes", refusal.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData('x')]
    [InlineData('L')]
    [InlineData('K')]
    public async Task TwoExtendedRecordsOfOneKindInARow_AreRefused(char type)
    {
        var builder = new TarBuilder();
        for (var i = 0; i < 2; i++)
        {
            _ = type == 'x' ? builder.Pax('x', ("path", "p" + i)) : builder.GnuLong(type, "long" + i);
        }

        var refusal = await Tars.RefusalAsync(builder.Entry(new TarHeaderSpec()).End().ToArray());

        Assert.Contains("in a row", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PaxPathOf64KiB_IsRefusedByTheNameLimit()
    {
        var archive = new TarBuilder().Pax('x', ("path", new string('a', 64 * 1024))).Entry(new TarHeaderSpec()).End().ToArray();

        var refusal = await Tars.RefusalAsync(archive);

        Assert.Equal("the entry at byte 0: the pax path is 65536 bytes, more than TarLimits.MaximumNameBytes (4096)", refusal.Message);
    }

    [Fact]
    public async Task PaxRecordOverTheLimit_IsRefusedBeforeItsBodyIsRead()
    {
        var archive = new TarBuilder().Pax('x', ("path", new string('a', 64 * 1024))).Entry(new TarHeaderSpec()).End().ToArray();
        var source = new ArchiveSource(archive, pieceSize: 512);
        using var reader = new TarReader(source, new TarLimits { MaximumPaxHeaderBytes = 16 * 1024 });

        var refusal = await Assert.ThrowsAsync<TarFormatException>(() => reader.ReadNextAsync());

        Assert.Equal("the entry at byte 0: the pax extended header is 65548 bytes, more than TarLimits.MaximumPaxHeaderBytes (16384)", refusal.Message);
        Assert.Equal(512, source.BytesRead);
    }

    [Theory]
    [InlineData('x', "pax extended header")]
    [InlineData('g', "pax global header")]
    [InlineData('L', "GNU long name record")]
    [InlineData('K', "GNU long link name record")]
    public async Task RecordDeclaringATebibyte_IsRefusedByTheLimit_NotReadUntilTheEnd(char type, string what)
    {
        var archive = new TarBuilder()
            .Entry(TarHeaderSpec.Gnu("././@LongLink", type) with { RawFields = new Dictionary<int, byte[]> { [TarHeaderSpec.SizeField] = TarHeaderSpec.Base256(1L << 40, 12) } })
            .ToArray();

        var refusal = await Tars.RefusalAsync(archive);

        Assert.Equal($"the entry at byte 0: the {what} is 1099511627776 bytes, more than TarLimits.MaximumPaxHeaderBytes (1048576)", refusal.Message);
    }

    [Fact]
    public async Task LongNamesOverTheNameLimit_AreRefused_FromEverySource()
    {
        var limits = new TarLimits { MaximumNameBytes = 50 };
        var longName = new string('n', 51);
        var archives = new[]
        {
            (new TarBuilder().Entry(new TarHeaderSpec { Name = longName }).End().ToArray(), "the name is 51 bytes"),
            (new TarBuilder().Entry(new TarHeaderSpec { Name = "p", Prefix = new string('p', 40), }).End().ToArray(), null),
            (new TarBuilder().Entry(new TarHeaderSpec { Name = new string('n', 20), Prefix = new string('p', 40) }).End().ToArray(), "the name is 61 bytes"),
            (new TarBuilder().GnuLong('L', longName).Entry(TarHeaderSpec.Gnu("x")).End().ToArray(), "the GNU long name is 51 bytes"),
            (new TarBuilder().GnuLong('K', longName).Entry(TarHeaderSpec.Gnu("x", '2')).End().ToArray(), "the GNU long link name is 51 bytes"),
            (new TarBuilder().Pax('x', ("linkpath", longName)).Entry(new TarHeaderSpec { TypeFlag = '2' }).End().ToArray(), "the pax linkpath is 51 bytes"),
            (new TarBuilder().Entry(new TarHeaderSpec { TypeFlag = '1', LinkName = longName }).End().ToArray(), "the link name is 51 bytes"),
        };

        foreach (var (archive, expected) in archives)
        {
            if (expected is null)
            {
                Assert.Single(await Tars.ReadAllAsync(archive, limits));
                continue;
            }

            var refusal = await Tars.RefusalAsync(archive, limits);
            Assert.Contains($"{expected}, more than TarLimits.MaximumNameBytes (50)", refusal.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Limits_BelowOne_AreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TarLimits { MaximumNameBytes = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new TarLimits { MaximumPaxHeaderBytes = -1 });
        Assert.NotSame(TarLimits.Default, TarLimits.Default);
        Assert.Equal((4096, 1 << 20), (TarLimits.Default.MaximumNameBytes, TarLimits.Default.MaximumPaxHeaderBytes));
    }

    public static TheoryData<string, byte[], string> Truncated()
    {
        var file = new TarBuilder().File("cut", new byte[1000]).ToArray();
        var pax = new TarBuilder().Pax('x', ("path", "described")).ToArray();
        var gnu = new TarBuilder().GnuLong('L', "long-one").ToArray();
        return new()
        {
            { "inside a header", file[..300], "the entry at byte 0: the archive ends inside a header" },
            { "inside data", file[..900], "the entry at byte 0 ('cut'): the archive ends inside the entry: 612 of its 1000 data bytes and its padding are missing" },
            { "inside padding", file[..1520], "the entry at byte 0 ('cut'): the archive ends inside the entry: its padding is missing" },
            { "inside a pax body", pax[..520], "the entry at byte 0: the archive ends inside a pax extended header" },
            { "after a pax record", pax, "the entry at byte 0 ('described'): the archive ends after an extended header, before the entry it describes" },
            { "after a long name", gnu, "the entry at byte 0 ('long-one'): the archive ends after an extended header, before the entry it describes" },
            { "zero block after a pax record", [.. pax, .. new byte[1024]], "the entry at byte 0 ('described'): an end-of-archive block follows an extended header" },
            { "inside the end marker", [.. Ok, .. new byte[700]], "the entry at byte 1536: the archive ends inside its end-of-archive marker" },
            { "header after one zero block", [.. Ok, .. new byte[512], .. Ok], "the entry at byte 1536: a header follows a single zero block" },
        };
    }

    [Theory]
    [MemberData(nameof(Truncated))]
    public async Task TruncatedArchives_AreRefused(string what, byte[] archive, string expected)
    {
        var refusal = await Tars.RefusalAsync(archive, readData: what != "inside data");

        Assert.StartsWith(expected, refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TruncatedData_ReadThroughOpenData_IsRefused()
    {
        var archive = new TarBuilder().File("cut", new byte[1000]).ToArray()[..900];
        using var reader = new TarReader(new ArchiveSource(archive));
        await reader.ReadNextAsync();
        var data = reader.OpenData();
        var buffer = new byte[2000];

        Assert.Equal(388, await data.ReadAsync(buffer));
        var refusal = await Assert.ThrowsAsync<TarFormatException>(() => data.CopyToAsync(Stream.Null));

        Assert.Equal("the entry at byte 0 ('cut'): the archive ends inside the entry: 612 of its 1000 data bytes are missing", refusal.Message);
        await Assert.ThrowsAsync<InvalidOperationException>(() => reader.ReadNextAsync());
    }

    [Fact]
    public async Task HostileNames_AreEscapedAndCutInMessages()
    {
        var archive = new TarBuilder().Pax('x', ("path", "evil\n\u001b[31m" + new string('z', 500))).Entry(new TarHeaderSpec { TypeFlag = 'Q' }).End().ToArray();

        var refusal = await Tars.RefusalAsync(archive);

        Assert.StartsWith("the entry at byte 0 ('evil\\x0a\\x1b[31mzzz", refusal.Message, StringComparison.Ordinal);
        Assert.True(refusal.Message.Length < 300, refusal.Message);
        Assert.Equal(500 + 10, refusal.EntryName!.Length);
    }

    [Fact]
    public async Task TheFamily_IsOciException()
    {
        var refusal = await Tars.RefusalAsync(new TarBuilder().Entry(new TarHeaderSpec { Checksum = TarChecksum.Wrong }).ToArray());

        Assert.IsAssignableFrom<OciException>(refusal);
        Assert.Null(refusal.EntryName);
        Assert.Equal("the header checksum does not match (this is not a tar header, or it is damaged)", refusal.Problem);
        Assert.Null(refusal.InnerException);
    }
}
