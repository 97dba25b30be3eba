using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using OciRegistry.Core.Archive;

namespace OciRegistry.Core.Tests.Archive;

/// <summary>How the reader moves through the stream: where the archive ends, what it skips, and what OpenData hands out.</summary>
public sealed class TarReaderStreamingTests
{
    private static readonly byte[] TwoFiles = new TarBuilder().File("a", new byte[700]).File("b", "second").ToArray();

    [Theory]
    [InlineData(2)]
    [InlineData(1)]
    [InlineData(0)]
    public async Task EndOfArchive_TwoZeroBlocksOneOrNone_EndsCleanly(int zeroBlocks)
    {
        var archive = new TarBuilder().Raw(TwoFiles).End(zeroBlocks).ToArray();
        using var reader = new TarReader(new ArchiveSource(archive));

        Assert.NotNull(await reader.ReadNextAsync());
        Assert.NotNull(await reader.ReadNextAsync());
        Assert.Null(await reader.ReadNextAsync());
        Assert.Null(await reader.ReadNextAsync());
        Assert.Equal(2, reader.EntryCount);
    }

    [Fact]
    public async Task EmptyStream_IsAnEmptyArchive()
    {
        using var reader = new TarReader(new ArchiveSource([]));

        Assert.Null(await reader.ReadNextAsync());
        Assert.Equal(0, reader.EntryCount);
    }

    [Fact]
    public async Task AfterTheEnd_NothingMoreIsRead()
    {
        var archive = new TarBuilder().Raw(TwoFiles).End().Raw(new byte[8192]).Raw("trailing junk"u8.ToArray()).ToArray();
        var source = new ArchiveSource(archive, pieceSize: 512);
        using var reader = new TarReader(source);

        while (await reader.ReadNextAsync() is not null)
        {
        }

        Assert.Null(await reader.ReadNextAsync());
        Assert.Equal(TwoFiles.Length + 1024, source.BytesRead);
    }

    [Fact]
    public async Task UnreadData_IsSkipped_AndPartlyReadDataToo()
    {
        var archive = new TarBuilder()
            .File("skipped", new byte[100_000])
            .File("half", Enumerable.Range(0, 3000).Select(i => (byte)i).ToArray())
            .File("last", "end")
            .End().ToArray();
        using var reader = new TarReader(new ArchiveSource(archive, pieceSize: 333));

        Assert.Equal("skipped", (await reader.ReadNextAsync())!.Name);
        Assert.Equal("half", (await reader.ReadNextAsync())!.Name);
        var buffer = new byte[1000];
        Assert.Equal(1000, await reader.OpenData().ReadAtLeastAsync(buffer, 1000));
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => (byte)i), buffer);
        var last = await reader.ReadNextAsync();

        Assert.Equal(("last", 512 + 100_352L + 512 + 3072), (last!.Name, last.HeaderOffset));
        using var text = new StreamReader(reader.OpenData());
        Assert.Equal("end", await text.ReadToEndAsync());
    }

    [Fact]
    public async Task OpenData_IsExactlySize_ReadOnly_AndShared()
    {
        var archive = new TarBuilder().File("f", "0123456789").End().ToArray();
        using var reader = new TarReader(new ArchiveSource(archive));
        await reader.ReadNextAsync();

        var first = reader.OpenData();
        var buffer = new byte[4];
        Assert.Equal(4, await first.ReadAtLeastAsync(buffer, 4));
        var second = reader.OpenData();
        var rest = new byte[100];

        Assert.Equal(6, second.Read(rest, 0, rest.Length));
        Assert.Equal("456789", Encoding.ASCII.GetString(rest, 0, 6));
        Assert.Equal(0, await first.ReadAsync(rest));
        Assert.False(first.CanSeek || first.CanWrite);
        Assert.True(first.CanRead);
        Assert.Throws<NotSupportedException>(() => first.Length);
    }

    [Fact]
    public async Task OpenData_StopsWorking_AtTheNextEntry()
    {
        using var reader = new TarReader(new ArchiveSource(new TarBuilder().Raw(TwoFiles).End().ToArray()));
        await reader.ReadNextAsync();
        var stale = reader.OpenData();

        await reader.ReadNextAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => stale.ReadAsync(new byte[10], 0, 10));
        Assert.Equal("second", await new StreamReader(reader.OpenData()).ReadToEndAsync());
    }

    [Fact]
    public async Task OpenData_BeforeTheFirstEntry_Throws()
    {
        using var reader = new TarReader(new ArchiveSource(TwoFiles));

        Assert.Throws<InvalidOperationException>(() => reader.OpenData());
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Dispose_LeavesTheStreamOpen_AndTheReaderUnusable()
    {
        var source = new ArchiveSource(TwoFiles);
        var reader = new TarReader(source);
        await reader.ReadNextAsync();

        reader.Dispose();

        Assert.False(source.Disposed);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => reader.ReadNextAsync());
    }

    [Fact]
    public async Task AfterARefusal_TheReaderWillNotGoOn()
    {
        var archive = new TarBuilder().Entry(new TarHeaderSpec { Checksum = TarChecksum.Wrong }).Raw(TwoFiles).End().ToArray();
        using var reader = new TarReader(new ArchiveSource(archive));

        await Assert.ThrowsAsync<TarFormatException>(() => reader.ReadNextAsync());

        await Assert.ThrowsAsync<InvalidOperationException>(() => reader.ReadNextAsync());
    }

    [Fact]
    public async Task OneByteReads_ReadTheSameArchive()
    {
        var archive = new TarBuilder().Pax('x', ("path", new string('p', 300))).File("x", new byte[1500]).Raw(TwoFiles).End().ToArray();
        using var reader = new TarReader(new ArchiveSource(archive, pieceSize: 1));

        var names = new System.Collections.Generic.List<string>();
        while (await reader.ReadNextAsync() is { } entry)
        {
            names.Add(entry.Name);
            await reader.OpenData().CopyToAsync(Stream.Null);
        }

        Assert.Equal([new string('p', 300), "a", "b"], names);
    }
}
