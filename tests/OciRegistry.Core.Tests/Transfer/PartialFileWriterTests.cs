using System;
using System.IO;
using System.Runtime.InteropServices;
using OciRegistry.Core.Transfer;

namespace OciRegistry.Core.Tests.Transfer;

/// <summary>The writer behind every download: direct writes where the system allows, the stream elsewhere, the same bytes either way.</summary>
public sealed class PartialFileWriterTests : IDisposable
{
    private const int MiB = 1024 * 1024;

    // Beside the test assembly, in the checkout: a disk file system, where O_DIRECT must work on Linux.
    private readonly string _folder = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "writer-" + Guid.NewGuid().ToString("n"))).FullName;

    public static TheoryData<long, int> Starts => new()
    {
        { 0, MiB },
        { 12345, MiB },
        { 4096, 1000 },
        { 5000, 3 * 4096 },
        { 0, 7 },
    };

    [Theory]
    [MemberData(nameof(Starts))]
    public void Write_ChunksFromAnyStart_LeavesExactlyTheBytesInOrder(long start, int chunk)
    {
        var content = new byte[(3 * MiB) + 777];
        new Random(42).NextBytes(content);

        var path = Path.Combine(_folder, "blob");
        var written = WriteLikeADownload(path, content, start, chunk, out var direct, out var directBytes);

        Assert.Equal(content, File.ReadAllBytes(path));
        Assert.Equal(content.Length, written);
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
        {
            // Chunks of several pages go mostly direct; a chunk smaller than a page never holds an aligned one.
            Assert.True(direct, "O_DIRECT was not used on a disk file system");
            if (chunk < PartialFileWriter.Alignment)
            {
                Assert.Equal(0, directBytes);
            }
            else
            {
                Assert.True(directBytes >= (content.Length - start) / 2, $"only {directBytes} bytes went direct");
            }
        }
        else
        {
            Assert.False(direct);
        }
    }

    [Fact]
    public void Write_DirectNotAllowed_GoesThroughTheStreamWithTheSameBytes()
    {
        var content = new byte[MiB + 3];
        new Random(7).NextBytes(content);
        var path = Path.Combine(_folder, "stream");

        WriteLikeADownload(path, content, 100, 64 * 1024, out var direct, out var directBytes, allowDirect: false);

        Assert.False(direct);
        Assert.Equal(0, directBytes);
        Assert.Equal(content, File.ReadAllBytes(path));
    }

    [Fact]
    public void Write_OnTmpfs_KeepsTheBytesWhetherOrNotItTakesDirectWrites()
    {
        // tmpfs refused O_DIRECT before Linux 6.6 and takes it since: either way the bytes must be exact.
        if (!Directory.Exists("/dev/shm"))
        {
            return;
        }

        var content = new byte[MiB + 3];
        new Random(7).NextBytes(content);
        var path = Path.Combine("/dev/shm", "ociregistry-writer-" + Guid.NewGuid().ToString("n"));
        try
        {
            WriteLikeADownload(path, content, 100, 64 * 1024, out _, out _);

            Assert.Equal(content, File.ReadAllBytes(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Offset_PutsEveryFilePositionOnTheSameInPageOffsetInMemory()
    {
        using var file = new FileStream(Path.Combine(_folder, "offsets"), FileMode.Create, FileAccess.ReadWrite, FileShare.None);
        using var writer = new PartialFileWriter(file, 0);
        using var buffer = writer.CreateBuffer(MiB);
        foreach (var position in new long[] { 0, 1, 4095, 4096, 12345, (5L * 1024 * MiB) + 17 })
        {
            var space = writer.Space(buffer, position);
            Assert.Same(buffer.Array, space.Array);
            Assert.InRange(space.Offset, 0, PartialFileWriter.Alignment - 1);
            Assert.Equal(MiB - PartialFileWriter.Alignment, space.Count);
            Assert.True(space.Offset + space.Count <= buffer.Array.Length);
            if (writer.Direct)
            {
                Assert.Equal(position % PartialFileWriter.Alignment, (buffer.Address.ToInt64() + space.Offset) % PartialFileWriter.Alignment);
            }
            else
            {
                Assert.Equal(0, space.Offset);
            }
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>The downloader's use: the first <paramref name="start"/> bytes already there, then the writer's buffer filled where it says.</summary>
    private static long WriteLikeADownload(string path, byte[] content, long start, int chunk, out bool direct, out long directBytes, bool allowDirect = true)
    {
        File.WriteAllBytes(path, content.AsSpan(0, (int)start).ToArray());
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None, MiB);
        file.Seek(start, SeekOrigin.Begin);
        using var writer = new PartialFileWriter(file, start, allowDirect);
        using var buffer = writer.CreateBuffer(chunk + PartialFileWriter.Alignment);
        var position = start;
        while (position < content.Length)
        {
            var space = writer.Space(buffer, position);
            var count = (int)Math.Min(Math.Min(chunk, space.Count), content.Length - position);
            Buffer.BlockCopy(content, (int)position, buffer.Array, space.Offset, count);
            writer.Write(buffer, space.Offset, count);
            position += count;
        }

        writer.FlushToDisk();
        direct = writer.Direct;
        directBytes = writer.DirectBytes;
        return position;
    }
}
