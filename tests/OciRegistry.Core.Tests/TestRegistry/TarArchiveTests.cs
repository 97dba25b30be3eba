using System;
using System.Collections.Generic;
using System.Formats.Tar;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.TestRegistry;

namespace OciRegistry.Core.Tests.TestRegistry;

public sealed class TarArchiveTests
{
    private static readonly DateTimeOffset Time = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(511)]
    [InlineData(512)]
    [InlineData(513)]
    [InlineData(5000)]
    public void Create_File_IsReadBackByTarReader(int length)
    {
        var content = RegistryFixture.Pattern(length);

        var archive = TarArchive.Create([new("dir/file.bin", content), new("second.txt", Encoding.ASCII.GetBytes("two"))], Time);

        Assert.Equal(0, archive.Length % 512);
        using var reader = new TarReader(new MemoryStream(archive));
        var first = reader.GetNextEntry()!;
        Assert.Equal(TarEntryFormat.Ustar, first.Format);
        Assert.Equal("dir/file.bin", first.Name);
        Assert.Equal(length, first.Length);
        Assert.Equal(Time, first.ModificationTime);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, first.Mode);
        using (var data = new MemoryStream())
        {
            first.DataStream?.CopyTo(data);
            Assert.Equal(content, data.ToArray());
        }

        Assert.Equal("second.txt", reader.GetNextEntry()!.Name);
        Assert.Null(reader.GetNextEntry());
    }

    [Fact]
    public void Create_Header_HasAValidChecksumAndTwoZeroBlocksAtTheEnd()
    {
        var archive = TarArchive.Create([new("a", [1])], Time);

        var header = archive[..512];
        var stored = Convert.ToInt32(Encoding.ASCII.GetString(header, 148, 6), 8);
        Array.Fill(header, (byte)' ', 148, 8);
        Assert.Equal(header.Sum(b => b), stored);
        Assert.Equal(4 * 512, archive.Length);
        Assert.All(archive[^1024..], b => Assert.Equal(0, b));
    }

    [Fact]
    public void Create_SameInput_SameBytes()
    {
        Assert.Equal(TarArchive.Create([new("x", [1, 2])], Time), TarArchive.Create([new("x", [1, 2])], Time));
    }

    [Theory]
    [InlineData("")]
    [InlineData("é")]
    [InlineData("nul\0name")]
    public void Create_UnusableName_ThrowsArgumentException(string name)
    {
        Assert.Throws<ArgumentException>(() => TarArchive.Create([new(name, [])], Time));
    }

    [Fact]
    public void Create_NameLongerThan100_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => TarArchive.Create([new(new string('n', 101), [])], Time));
    }
}
