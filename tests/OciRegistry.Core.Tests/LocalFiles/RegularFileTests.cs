using System;
using System.IO;
using System.Threading.Tasks;
using OciRegistry.Core.LocalFiles;
using OciRegistry.Core.Tests.Support;

namespace OciRegistry.Core.Tests.LocalFiles;

/// <summary>Local files are opened only when they are regular files at the path itself: real links, FIFOs and devices.</summary>
public sealed class RegularFileTests : IDisposable
{
    private static readonly byte[] Secret = "outside the destination"u8.ToArray();
    private readonly string _folder = Directory.CreateTempSubdirectory("ociregistry-localfiles-").FullName;
    private readonly string _outside;

    public RegularFileTests()
    {
        _outside = Path.Combine(Directory.CreateTempSubdirectory("ociregistry-outside-").FullName, "victim");
        File.WriteAllBytes(_outside, Secret);
        File.SetLastWriteTimeUtc(_outside, new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc));
    }

    public static TheoryData<FileMode> WriteModes => new() { FileMode.Open, FileMode.OpenOrCreate, FileMode.Create, FileMode.Truncate, FileMode.Append };

    [Fact]
    public void OpenRead_RegularFile_ReadsItAndDescribesIt()
    {
        var path = Path.Combine(_folder, "plain");
        File.WriteAllBytes(path, [1, 2, 3]);

        using (var file = RegularFile.OpenRead(path))
        {
            var buffer = new byte[8];
            Assert.Equal(3, file.Read(buffer, 0, buffer.Length));
            Assert.Equal(RegularFile.GetStatus(path).Identity, RegularFile.GetStatus(file).Identity);
        }

        var status = RegularFile.GetStatus(path);
        Assert.Equal((FileKind.Regular, 3L, 1L), (status.Kind, status.Size, status.LinkCount));
        Assert.NotEqual(default, status.Identity);
    }

    [Fact]
    public void GetStatus_NothingThere_IsMissing()
    {
        Assert.Equal(FileKind.Missing, RegularFile.GetStatus(Path.Combine(_folder, "absent")).Kind);
        Assert.Equal(FileKind.Missing, RegularFile.GetStatus(Path.Combine(_folder, "absent", "deeper")).Kind);
        Assert.Throws<FileNotFoundException>(() => RegularFile.OpenRead(Path.Combine(_folder, "absent")));
    }

    [Fact]
    public void OpenWrite_CreateNewAndCreate_CreateATruncatedFileAndRefuseASecondWriter()
    {
        var path = Path.Combine(_folder, "new");
        using (var file = RegularFile.OpenWrite(path, FileMode.CreateNew))
        {
            file.Write([1, 2, 3, 4], 0, 4);
            Assert.ThrowsAny<IOException>(() => RegularFile.OpenWrite(path, FileMode.Open));
        }

        Assert.ThrowsAny<IOException>(() => RegularFile.OpenWrite(path, FileMode.CreateNew));
        using (var file = RegularFile.OpenWrite(path, FileMode.Create))
        {
            Assert.Equal(0, file.Length);
        }

        using (var file = RegularFile.OpenWrite(Path.Combine(_folder, "created"), FileMode.OpenOrCreate))
        {
            Assert.Equal(0, file.Length);
        }

        Assert.Throws<FileNotFoundException>(() => RegularFile.OpenWrite(Path.Combine(_folder, "absent"), FileMode.Open));
    }

    [UnixFact]
    public void OpenWrite_LockReleasedMomentsLater_WaitsForItInsteadOfCallingTheFileInUse()
    {
        // Another holder of the lock (as a forked child holds a copy of the descriptor until it executes) lets go
        // 50 ms after the second writer asks.
        var path = Path.Combine(_folder, "held");
        var first = RegularFile.OpenWrite(path, FileMode.CreateNew);

        // A thread of its own: the pool may be busy with other tests while this one waits.
        var release = new System.Threading.Thread(() =>
        {
            System.Threading.Thread.Sleep(50);
            first.Dispose();
        });
        release.Start();

        using (var second = RegularFile.OpenWrite(path, FileMode.Open))
        {
            Assert.True(second.CanWrite);
        }

        release.Join();
    }

    [UnixFact]
    public void OpenWrite_LockHeldThroughout_IsInUseAfterTheWait()
    {
        var path = Path.Combine(_folder, "kept");
        using var first = RegularFile.OpenWrite(path, FileMode.CreateNew);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var error = Assert.ThrowsAny<IOException>(() => RegularFile.OpenWrite(path, FileMode.Open));

        Assert.Contains("in use", error.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed >= RegularFile.LockWait, $"gave up after {clock.Elapsed}");
    }

    [Fact]
    public void Identity_SurvivesARenameAndTellsFilesApart()
    {
        var path = Path.Combine(_folder, "a");
        var other = Path.Combine(_folder, "b");
        File.WriteAllBytes(other, [9]);
        (ulong, ulong) identity;
        using (var file = RegularFile.OpenWrite(path, FileMode.CreateNew))
        {
            identity = RegularFile.GetStatus(file).Identity;
        }

        // Closed first: Windows does not rename a file open without FILE_SHARE_DELETE.
        File.Move(path, Path.Combine(_folder, "renamed"));

        Assert.Equal(identity, RegularFile.GetStatus(Path.Combine(_folder, "renamed")).Identity);
        Assert.NotEqual(identity, RegularFile.GetStatus(other).Identity);
    }

    [UnixFact]
    public void OpenRead_SymbolicLink_IsRefusedUnlessFollowed()
    {
        var link = Path.Combine(_folder, "link");
        File.CreateSymbolicLink(link, _outside);

        Assert.Equal(FileKind.SymbolicLink, RegularFile.GetStatus(link).Kind);
        var refused = Assert.Throws<FileLinkRefusedException>(() => RegularFile.OpenRead(link));
        Assert.Equal(link, refused.Path);
        using var followed = RegularFile.OpenRead(link, followFinalLink: true);
        Assert.Equal(Secret.Length, followed.Length);
    }

    [UnixTheory]
    [MemberData(nameof(WriteModes))]
    public void OpenWrite_SymbolicLink_IsRefusedAndItsTargetUntouched(FileMode mode)
    {
        var link = Path.Combine(_folder, "link");
        File.CreateSymbolicLink(link, _outside);

        Assert.Throws<FileLinkRefusedException>(() => RegularFile.OpenWrite(link, mode));

        AssertOutsideUntouched();
        Assert.Equal(FileKind.SymbolicLink, RegularFile.GetStatus(link).Kind);
    }

    [UnixFact]
    public void OpenWrite_DanglingSymbolicLink_IsRefusedAndCreatesNothing()
    {
        var link = Path.Combine(_folder, "link");
        var target = Path.Combine(Path.GetDirectoryName(_outside)!, "planted");
        File.CreateSymbolicLink(link, target);

        Assert.Throws<FileLinkRefusedException>(() => RegularFile.OpenWrite(link, FileMode.OpenOrCreate));
        Assert.ThrowsAny<IOException>(() => RegularFile.OpenWrite(link, FileMode.CreateNew));

        Assert.False(File.Exists(target));
    }

    [UnixTheory]
    [MemberData(nameof(WriteModes))]
    public void OpenWrite_HardLink_IsRefusedAndTheOtherFileUntouched(FileMode mode)
    {
        // A hard link needs the same file system: the victim lives beside the destination here.
        var victim = Path.Combine(_folder, "victim");
        File.Copy(_outside, victim);
        var link = Path.Combine(_folder, "link");
        UnixTools.HardLink(victim, link);

        var refused = Assert.Throws<FileLinkRefusedException>(() => RegularFile.OpenWrite(link, mode));

        Assert.Equal(2, refused.HardLinks);
        Assert.Equal(Secret, File.ReadAllBytes(victim));
        Assert.Equal(2L, RegularFile.GetStatus(link).LinkCount);
        using (RegularFile.OpenRead(link))
        {
        }

        Assert.Throws<FileLinkRefusedException>(() => RegularFile.OpenRead(link, allowHardLinks: false));
        using (RegularFile.OpenWrite(link, FileMode.Open, allowHardLinks: true))
        {
        }
    }

    [UnixFact]
    public async Task OpenReadAndWrite_Fifo_AreRefusedWithoutBlocking()
    {
        var fifo = Path.Combine(_folder, "fifo");
        UnixTools.MakeFifo(fifo);

        // Nobody ever writes to or reads from this FIFO: a plain open would wait forever.
        var read = Task.Run(() => RegularFile.OpenRead(fifo));
        var write = Task.Run(() => RegularFile.OpenWrite(fifo, FileMode.OpenOrCreate));
        var capped = Task.Run(() => RegularFile.ReadAllBytesCapped(Path.Combine(_folder, "fifo"), 4096, ContentKind.Manifest));
        var all = Task.WhenAll(read, write, capped);
        Assert.Same(all, await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(10))));

        Assert.Equal(FileKind.Fifo, RegularFile.GetStatus(fifo).Kind);
        Assert.Contains("FIFO", (await Assert.ThrowsAsync<FileNotRegularException>(() => read)).Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<FileNotRegularException>(() => write);
        await Assert.ThrowsAsync<FileNotRegularException>(() => capped);
    }

    [UnixFact]
    public void ReadAllBytesCapped_LinkToDevZeroFollowed_IsRefusedWithoutReading()
    {
        var link = Path.Combine(_folder, "config.json");
        File.CreateSymbolicLink(link, "/dev/zero");
        var before = GC.GetAllocatedBytesForCurrentThread();

        Assert.Throws<FileNotRegularException>(() => RegularFile.ReadAllBytesCapped(link, 1024 * 1024, ContentKind.Manifest, followFinalLink: true));
        Assert.Throws<FileLinkRefusedException>(() => RegularFile.ReadAllBytesCapped(link, 1024 * 1024, ContentKind.Manifest));
        Assert.Throws<FileNotRegularException>(() => RegularFile.OpenRead("/dev/zero"));
        Assert.Throws<FileNotRegularException>(() => RegularFile.OpenWrite("/dev/null", FileMode.Open));

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1024 * 1024, "a device was read into memory");
        Assert.Equal(FileKind.CharacterDevice, RegularFile.GetStatus("/dev/zero").Kind);
    }

    [Fact]
    public void OpenReadAndWrite_Directory_AreRefused()
    {
        var directory = Directory.CreateDirectory(Path.Combine(_folder, "dir")).FullName;

        Assert.Equal(FileKind.Directory, RegularFile.GetStatus(directory).Kind);
        Assert.Throws<FileNotRegularException>(() => RegularFile.OpenRead(directory));
        Assert.Throws<FileNotRegularException>(() => RegularFile.OpenWrite(directory, FileMode.OpenOrCreate));
        Assert.Throws<FileNotRegularException>(() => RegularFile.ReadAllBytesCapped(directory, 10, ContentKind.Manifest));
    }

    [Fact]
    public void ReadAllBytesCapped_ReadsUpToTheCapAndRefusesMore()
    {
        var path = Path.Combine(_folder, "small");
        File.WriteAllBytes(path, new byte[100]);

        Assert.Equal(100, RegularFile.ReadAllBytesCapped(path, 100, ContentKind.Manifest).Length);
        var tooLarge = Assert.Throws<ContentTooLargeException>(() => RegularFile.ReadAllBytesCapped(path, 99, ContentKind.TokenResponse));
        Assert.Equal((ContentKind.TokenResponse, 99L, 100L), (tooLarge.Kind, tooLarge.Limit, tooLarge.Size));
        var empty = Path.Combine(_folder, "empty");
        File.WriteAllBytes(empty, []);
        Assert.Empty(RegularFile.ReadAllBytesCapped(empty, 0, ContentKind.Manifest));
    }

    public void Dispose()
    {
        Directory.Delete(_folder, recursive: true);
        Directory.Delete(Path.GetDirectoryName(_outside)!, recursive: true);
    }

    private void AssertOutsideUntouched()
    {
        Assert.Equal(Secret, File.ReadAllBytes(_outside));
        Assert.Equal(new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc), File.GetLastWriteTimeUtc(_outside));
    }
}
