using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using OciRegistry.Core.Archive;

namespace OciRegistry.Core.Tests.Archive;

/// <summary>Compression is found from the bytes, whatever a media type claims, and no peeked byte is lost.</summary>
public sealed class LayerDecompressorTests
{
    private static readonly byte[] Tar = new TarBuilder().File("etc/hostname", "layer\n").File("big", new byte[200_000]).End().ToArray();

    [Fact]
    public async Task Gzip_IsFoundAndDecompressed()
    {
        var (compression, bytes) = await OpenAsync(Gzip(Tar));

        Assert.Equal(LayerCompression.Gzip, compression);
        Assert.Equal(Tar, bytes);
    }

    [Fact]
    public async Task ConcatenatedGzipMembers_AreAllDecompressed()
    {
        var (compression, bytes) = await OpenAsync([.. Gzip(Tar[..1000]), .. Gzip(Tar[1000..])]);

        Assert.Equal(LayerCompression.Gzip, compression);
        Assert.Equal(Tar, bytes);
    }

    [Fact]
    public async Task Zstd_IsFoundAndDecompressed_FramesConcatenated()
    {
        var (compression, bytes) = await OpenAsync([.. Zstd(Tar[..5000]), .. Zstd(Tar[5000..])]);

        Assert.Equal(LayerCompression.Zstd, compression);
        Assert.Equal(Tar, bytes);
    }

    [Fact]
    public async Task Zstd_OpeningWithASkippableFrame_IsFound()
    {
        byte[] skippable = [0x5e, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 1, 2, 3];

        var (compression, bytes) = await OpenAsync([.. skippable, .. Zstd(Tar)]);

        Assert.Equal(LayerCompression.Zstd, compression);
        Assert.Equal(Tar, bytes);
    }

    [ToolFact("zstd")]
    public async Task Zstd_FromTheCommandLineTool_IsDecompressed()
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(file, Tar);
            var compressed = await ExternalTar.RunToolAsync("zstd", "-q", "-c", "-19", file);

            var (compression, bytes) = await OpenAsync(compressed);

            Assert.Equal(LayerCompression.Zstd, compression);
            Assert.Equal(Tar, bytes);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(600)]
    public async Task Uncompressed_PassesThrough_EvenShorterThanTheMagic(int length)
    {
        var (compression, bytes) = await OpenAsync(Tar[..length]);

        Assert.Equal(LayerCompression.None, compression);
        Assert.Equal(Tar[..length], bytes);
    }

    [Fact]
    public async Task OneByteReads_LoseNoPeekedByte()
    {
        foreach (var blob in new[] { Gzip(Tar), Zstd(Tar), Tar })
        {
            using var layer = await LayerDecompressor.OpenAsync(new ArchiveSource(blob, pieceSize: 1));
            using var copy = new MemoryStream();
            await layer.Stream.CopyToAsync(copy);

            Assert.Equal(Tar, copy.ToArray());
        }
    }

    [Fact]
    public async Task Dispose_LeavesTheCompressedStreamOpen()
    {
        foreach (var blob in new[] { Gzip(Tar), Zstd(Tar), Tar })
        {
            var source = new ArchiveSource(blob);
            var layer = await LayerDecompressor.OpenAsync(source);

            layer.Dispose();

            Assert.False(source.Disposed);
        }
    }

    [Fact]
    public async Task DecompressedLayer_FeedsTheTarReader()
    {
        using var layer = await LayerDecompressor.OpenAsync(new ArchiveSource(Zstd(Tar)));
        using var reader = new TarReader(layer.Stream);

        var first = await reader.ReadNextAsync();
        var second = await reader.ReadNextAsync();

        Assert.Equal(("etc/hostname", "big", 200_000L), (first!.Name, second!.Name, second.Size));
        Assert.Null(await reader.ReadNextAsync());
    }

    [ToolFact("python3")]
    public async Task PythonTarGz_ReadsThroughDecompressorAndReader()
    {
        var archive = await ExternalTar.PythonAsync("""
            t = tarfile.open(fileobj=out, mode='w|gz', format=tarfile.PAX_FORMAT)
            info = tarfile.TarInfo('usr/bin/tool')
            info.size = 4
            t.addfile(info, io.BytesIO(b'tool'))
            t.close()
            """);
        using var layer = await LayerDecompressor.OpenAsync(new ArchiveSource(archive));
        using var reader = new TarReader(layer.Stream);

        var entry = await reader.ReadNextAsync();

        Assert.Equal(LayerCompression.Gzip, layer.Compression);
        Assert.Equal("usr/bin/tool", entry!.Name);
        Assert.Equal("tool", await new StreamReader(reader.OpenData()).ReadToEndAsync());
    }

    private static async Task<(LayerCompression, byte[])> OpenAsync(byte[] blob)
    {
        using var layer = await LayerDecompressor.OpenAsync(new ArchiveSource(blob, pieceSize: 1000));
        using var copy = new MemoryStream();
        await layer.Stream.CopyToAsync(copy);
        return (layer.Compression, copy.ToArray());
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    private static byte[] Zstd(byte[] data)
    {
        using var compressor = new ZstdSharp.Compressor(3);
        return compressor.Wrap(data).ToArray();
    }
}
