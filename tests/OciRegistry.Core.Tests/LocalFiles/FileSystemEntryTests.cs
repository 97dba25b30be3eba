using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using OciRegistry.Core.LocalFiles;
using OciRegistry.Core.Tests.Support;

namespace OciRegistry.Core.Tests.LocalFiles;

/// <summary>
/// The primitives layer extraction builds on, against real files: links are created and read back as written,
/// and a mode, a time or a delete aimed at a link lands on the link or is refused, never on what it points to.
/// Modes and a link's own time are read with stat(1), which describes a link itself unless told otherwise.
/// </summary>
public sealed class FileSystemEntryTests : IDisposable
{
    private static readonly byte[] Secret = "outside the destination"u8.ToArray();
    private static readonly DateTime OutsideTime = new(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc);
    private readonly string _folder = Directory.CreateTempSubdirectory("ociregistry-entries-").FullName;
    private readonly string _outsideFolder = Directory.CreateTempSubdirectory("ociregistry-outside-").FullName;
    private readonly string _outside;

    public FileSystemEntryTests()
    {
        _outside = Path.Combine(_outsideFolder, "victim");
        File.WriteAllBytes(_outside, Secret);
        File.SetLastWriteTimeUtc(_outside, OutsideTime);
    }

    public static TheoryData<string> PreciseTimes => new()
    {
        "2001-02-03T04:05:06.1234567+00:00",
        "2038-01-19T03:14:08.0000001+00:00",
        "1969-12-31T23:59:59.5000000+00:00",
        "2024-06-30T23:00:00.9999999+02:00",
    };

    [UnixFact]
    public void CreateSymbolicLink_RelativeAbsoluteAndDangling_ReadBackAsWritten()
    {
        File.WriteAllText(Path.Combine(_folder, "real"), "content");
        var relative = Path.Combine(_folder, "relative");
        var absolute = Path.Combine(_folder, "absolute");
        var dangling = Path.Combine(_folder, "dangling");

        FileSystemEntry.CreateSymbolicLink(relative, "real");
        FileSystemEntry.CreateSymbolicLink(absolute, _outside);
        FileSystemEntry.CreateSymbolicLink(dangling, "../nowhere/at/all");

        Assert.Equal("real", FileSystemEntry.ReadSymbolicLink(relative));
        Assert.Equal(_outside, FileSystemEntry.ReadSymbolicLink(absolute));
        Assert.Equal("../nowhere/at/all", FileSystemEntry.ReadSymbolicLink(dangling));
        Assert.Equal("../nowhere/at/all", new FileInfo(dangling).LinkTarget);
        Assert.Equal(FileKind.SymbolicLink, RegularFile.GetStatus(dangling).Kind);
        Assert.Equal("content", File.ReadAllText(relative));
    }

    [UnixFact]
    public void ReadSymbolicLink_LongTarget_IsReadWhole()
    {
        var target = string.Join("/", new string('a', 200), new string('b', 200), new string('c', 200), "ü-end");
        var link = Path.Combine(_folder, "long");

        FileSystemEntry.CreateSymbolicLink(link, target);

        Assert.Equal(target, FileSystemEntry.ReadSymbolicLink(link));
    }

    [UnixFact]
    public void CreateSymbolicLink_SomethingThere_FailsAndLeavesItAlone()
    {
        var taken = Path.Combine(_folder, "taken");
        File.WriteAllText(taken, "mine");
        var link = Path.Combine(_folder, "link");
        FileSystemEntry.CreateSymbolicLink(link, "first");

        Assert.ThrowsAny<IOException>(() => FileSystemEntry.CreateSymbolicLink(taken, _outside));
        Assert.ThrowsAny<IOException>(() => FileSystemEntry.CreateSymbolicLink(link, "second"));

        Assert.Equal("mine", File.ReadAllText(taken));
        Assert.Equal("first", FileSystemEntry.ReadSymbolicLink(link));
    }

    [Fact]
    public void ReadSymbolicLink_NotALink_IsNull()
    {
        var file = Path.Combine(_folder, "file");
        File.WriteAllText(file, "x");

        Assert.Null(FileSystemEntry.ReadSymbolicLink(file));
        Assert.Null(FileSystemEntry.ReadSymbolicLink(_folder));
        Assert.Null(FileSystemEntry.ReadSymbolicLink(Path.Combine(_folder, "absent")));
        Assert.Null(FileSystemEntry.ReadSymbolicLink(Path.Combine(_folder, "absent", "deeper")));
    }

    [Fact]
    public void CreateHardLink_File_SharesIdentityAndContent()
    {
        var original = Path.Combine(_folder, "original");
        var link = Path.Combine(_folder, "link");
        File.WriteAllText(original, "before");

        FileSystemEntry.CreateHardLink(link, original);
        File.WriteAllText(link, "written through the link");

        Assert.Equal("written through the link", File.ReadAllText(original));
        var status = RegularFile.GetStatus(link);
        Assert.Equal(RegularFile.GetStatus(original).Identity, status.Identity);
        Assert.Equal(2, status.LinkCount);
    }

    [UnixFact]
    public void CreateHardLink_OfASymbolicLink_NamesTheLinkNotItsTarget()
    {
        var symbolic = Path.Combine(_folder, "symbolic");
        var second = Path.Combine(_folder, "second");
        FileSystemEntry.CreateSymbolicLink(symbolic, _outside);

        FileSystemEntry.CreateHardLink(second, symbolic);

        Assert.Equal(FileKind.SymbolicLink, RegularFile.GetStatus(second).Kind);
        Assert.Equal(RegularFile.GetStatus(symbolic).Identity, RegularFile.GetStatus(second).Identity);
        Assert.Equal(1, RegularFile.GetStatus(_outside).LinkCount);
    }

    [Fact]
    public void CreateHardLink_PathTakenOrOriginalMissing_Fails()
    {
        var original = Path.Combine(_folder, "original");
        var taken = Path.Combine(_folder, "taken");
        File.WriteAllText(original, "original");
        File.WriteAllText(taken, "taken");

        var exists = Assert.ThrowsAny<IOException>(() => FileSystemEntry.CreateHardLink(taken, original));
        Assert.Contains(taken, exists.Message, StringComparison.Ordinal);
        Assert.Throws<FileNotFoundException>(() => FileSystemEntry.CreateHardLink(Path.Combine(_folder, "new"), Path.Combine(_folder, "absent")));

        Assert.Equal("taken", File.ReadAllText(taken));
        Assert.Equal(1, RegularFile.GetStatus(original).LinkCount);
    }

    [UnixTheory]
    [InlineData(0b110_100_100)]
    [InlineData(0b100_111_101_101)]
    [InlineData(0b110_111_101_101)]
    [InlineData(0)]
    [InlineData(0xFFF)]
    public void SetMode_FileAndDirectory_SetsAllTwelveBits(int mode)
    {
        var file = Path.Combine(_folder, "file");
        var directory = Path.Combine(_folder, "directory");
        File.WriteAllText(file, "x");
        Directory.CreateDirectory(directory);

        FileSystemEntry.SetMode(file, mode);
        FileSystemEntry.SetMode(directory, mode);

        Assert.Equal(Convert.ToString(mode, 8), Stat("%a", file));
        Assert.Equal(Convert.ToString(mode, 8), Stat("%a", directory));
    }

    [UnixFact]
    public void SetMode_AfterAllPermissionsWereTaken_StillWorksForTheOwner()
    {
        // Without read permission the owner cannot open the entry to fchmod it; a layer may ship such modes (root is not asked).
        var file = Path.Combine(_folder, "file");
        var directory = Path.Combine(_folder, "directory");
        File.WriteAllText(file, "x");
        Directory.CreateDirectory(directory);
        FileSystemEntry.SetMode(file, 0b010_000_000);
        FileSystemEntry.SetMode(directory, 0);

        FileSystemEntry.SetMode(file, 0b110_100_100);
        FileSystemEntry.SetMode(directory, 0b111_101_101);

        Assert.Equal("644", Stat("%a", file));
        Assert.Equal("755", Stat("%a", directory));
    }

    [UnixFact]
    public void SetMode_SymbolicLink_IsRefusedAndTheTargetKeepsItsMode()
    {
        FileSystemEntry.SetMode(_outside, 0b110_100_000);
        var toFile = Path.Combine(_folder, "to-file");
        var toDirectory = Path.Combine(_folder, "to-directory");
        FileSystemEntry.CreateSymbolicLink(toFile, _outside);
        FileSystemEntry.CreateSymbolicLink(toDirectory, _outsideFolder);
        var folderMode = Stat("%a", _outsideFolder);

        var refused = Assert.Throws<FileLinkRefusedException>(() => FileSystemEntry.SetMode(toFile, 0xFFF));
        Assert.Throws<FileLinkRefusedException>(() => FileSystemEntry.SetMode(toDirectory, 0xFFF));

        Assert.Equal(toFile, refused.Path);
        Assert.Equal("640", Stat("%a", _outside));
        Assert.Equal(folderMode, Stat("%a", _outsideFolder));
    }

    [UnixFact]
    public void SetMode_Fifo_IsRefusedWithoutOpeningIt()
    {
        var fifo = Path.Combine(_folder, "fifo");
        UnixTools.MakeFifo(fifo);
        var before = Stat("%a", fifo);

        Assert.Throws<FileNotRegularException>(() => FileSystemEntry.SetMode(fifo, 0xFFF));

        Assert.Equal(before, Stat("%a", fifo));
    }

    [Fact]
    public void SetMode_MissingOrOutOfRange_Fails()
    {
        var file = Path.Combine(_folder, "file");
        File.WriteAllText(file, "x");

        Assert.Throws<FileNotFoundException>(() => FileSystemEntry.SetMode(Path.Combine(_folder, "absent"), 0b111_101_101));
        Assert.Throws<ArgumentOutOfRangeException>(() => FileSystemEntry.SetMode(file, 0x1000));
        Assert.Throws<ArgumentOutOfRangeException>(() => FileSystemEntry.SetMode(file, -1));
    }

    [Theory]
    [MemberData(nameof(PreciseTimes))]
    public void SetModifiedTime_File_KeepsEveryTick(string text)
    {
        var time = DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        var file = Path.Combine(_folder, "file");
        File.WriteAllText(file, "x");

        FileSystemEntry.SetModifiedTime(file, time);

        Assert.Equal(time.UtcDateTime, File.GetLastWriteTimeUtc(file));
        Assert.Equal(time.UtcDateTime, File.GetLastAccessTimeUtc(file));
    }

    [Fact]
    public void SetModifiedTime_Directory_SetsItsTime()
    {
        var time = new DateTimeOffset(2011, 11, 11, 11, 11, 11, TimeSpan.Zero).AddTicks(1234);
        var directory = Directory.CreateDirectory(Path.Combine(_folder, "directory")).FullName;

        FileSystemEntry.SetModifiedTime(directory, time);

        Assert.Equal(time.UtcDateTime, Directory.GetLastWriteTimeUtc(directory));
    }

    [UnixFact]
    public void SetModifiedTime_SymbolicLink_ChangesTheLinkNotItsTarget()
    {
        var link = Path.Combine(_folder, "link");
        var dangling = Path.Combine(_folder, "dangling");
        FileSystemEntry.CreateSymbolicLink(link, _outside);
        FileSystemEntry.CreateSymbolicLink(dangling, Path.Combine(_outsideFolder, "planted"));
        var time = new DateTimeOffset(2001, 9, 9, 1, 46, 40, TimeSpan.Zero);

        FileSystemEntry.SetModifiedTime(link, time);
        FileSystemEntry.SetModifiedTime(dangling, time);

        Assert.Equal("1000000000", Stat("%Y", link));
        Assert.Equal("1000000000", Stat("%Y", dangling));
        Assert.Equal(OutsideTime, File.GetLastWriteTimeUtc(_outside));
        Assert.False(File.Exists(Path.Combine(_outsideFolder, "planted")));
    }

    [Fact]
    public void SetModifiedTime_Missing_Fails()
    {
        Assert.Throws<FileNotFoundException>(() => FileSystemEntry.SetModifiedTime(Path.Combine(_folder, "absent"), DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void CreateDirectory_Twice_FailsTheSecondTime()
    {
        var directory = Path.Combine(_folder, "directory");
        var file = Path.Combine(_folder, "file");
        File.WriteAllText(file, "x");

        FileSystemEntry.CreateDirectory(directory);

        Assert.True(Directory.Exists(directory));
        Assert.ThrowsAny<IOException>(() => FileSystemEntry.CreateDirectory(directory));
        Assert.ThrowsAny<IOException>(() => FileSystemEntry.CreateDirectory(file));
        Assert.Throws<DirectoryNotFoundException>(() => FileSystemEntry.CreateDirectory(Path.Combine(_folder, "absent", "deeper")));
    }

    [UnixFact]
    public void CreateDirectory_OverADanglingLink_FailsAndCreatesNothingAtItsTarget()
    {
        var link = Path.Combine(_folder, "link");
        var target = Path.Combine(_outsideFolder, "planted");
        FileSystemEntry.CreateSymbolicLink(link, target);

        Assert.ThrowsAny<IOException>(() => FileSystemEntry.CreateDirectory(link));

        Assert.False(Directory.Exists(target));
        FileSystemEntry.CreateDirectory(Path.Combine(_folder, "fresh"));
        Assert.Equal("700", Stat("%a", Path.Combine(_folder, "fresh")));
    }

    [Fact]
    public void Delete_FileDirectoryOrNothing_RemovesWhatIsThere()
    {
        var file = Path.Combine(_folder, "file");
        var tree = Path.Combine(_folder, "tree");
        File.WriteAllText(file, "x");
        Directory.CreateDirectory(Path.Combine(tree, "a", "b"));
        File.WriteAllText(Path.Combine(tree, "a", "b", "leaf"), "leaf");
        File.WriteAllText(Path.Combine(tree, "top"), "top");
        File.SetAttributes(Path.Combine(tree, "top"), FileAttributes.ReadOnly);

        FileSystemEntry.Delete(file);
        FileSystemEntry.Delete(tree);
        FileSystemEntry.Delete(Path.Combine(_folder, "absent"));
        FileSystemEntry.Delete(Path.Combine(_folder, "absent", "deeper"));

        Assert.Empty(Directory.GetFileSystemEntries(_folder));
    }

    [UnixFact]
    public void Delete_SymbolicLinkToDirectory_RemovesOnlyTheLink()
    {
        var link = Path.Combine(_folder, "link");
        FileSystemEntry.CreateSymbolicLink(link, _outsideFolder, targetIsDirectory: true);

        FileSystemEntry.Delete(link);

        Assert.Equal(FileKind.Missing, RegularFile.GetStatus(link).Kind);
        AssertOutsideUntouched();
    }

    [UnixFact]
    public void Delete_TreeWithLinksOutward_LeavesTheOutsideAlone()
    {
        var tree = Path.Combine(_folder, "tree");
        var nested = Path.Combine(tree, "nested");
        Directory.CreateDirectory(nested);
        File.WriteAllText(Path.Combine(nested, "own"), "own");
        FileSystemEntry.CreateSymbolicLink(Path.Combine(tree, "to-folder"), _outsideFolder, targetIsDirectory: true);
        FileSystemEntry.CreateSymbolicLink(Path.Combine(nested, "to-file"), _outside);
        FileSystemEntry.CreateSymbolicLink(Path.Combine(nested, "dangling"), "../../nowhere");
        FileSystemEntry.CreateHardLink(Path.Combine(nested, "hard"), _outside);
        UnixTools.MakeFifo(Path.Combine(nested, "fifo"));

        // Modes a layer may ship: a folder nobody may enter, one nobody may write to.
        FileSystemEntry.SetMode(nested, 0);
        FileSystemEntry.SetMode(tree, 0b101_101_101);

        FileSystemEntry.Delete(tree);

        Assert.Equal(FileKind.Missing, RegularFile.GetStatus(tree).Kind);
        AssertOutsideUntouched();
        Assert.Equal(1, RegularFile.GetStatus(_outside).LinkCount);
    }

    [Fact]
    public void IsCaseInsensitive_TempFolder_MatchesThePlatformAndLeavesNoProbe()
    {
        var insensitive = FileSystemEntry.IsCaseInsensitive(_folder);

        if (OperatingSystem.IsLinux())
        {
            Assert.False(insensitive);
        }
        else if (OperatingSystem.IsWindows())
        {
            Assert.True(insensitive);
        }

        Assert.Empty(Directory.GetFileSystemEntries(_folder));
    }

    [WindowsFact]
    public void Delete_Junction_RemovesOnlyTheJunction()
    {
        var junction = Path.Combine(_folder, "junction");
        Run("cmd", "/c", "mklink", "/J", junction, _outsideFolder);

        Assert.Equal(_outsideFolder, FileSystemEntry.ReadSymbolicLink(junction));
        FileSystemEntry.Delete(junction);

        Assert.Equal(FileKind.Missing, RegularFile.GetStatus(junction).Kind);
        AssertOutsideUntouched();
    }

    public void Dispose()
    {
        // Plain recursive deletes (which never follow links either), so a fault in Delete cannot hide itself here.
        foreach (var folder in new[] { _folder, _outsideFolder })
        {
            if (!OperatingSystem.IsWindows())
            {
                Run("chmod", "-R", "u+rwx", folder);
            }

            Directory.Delete(folder, recursive: true);
        }
    }

    private static string Stat(string format, string path) => Run("stat", "-c", format, path).Trim();

    private static string Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{tool} failed: {error}");
        return output;
    }

    private void AssertOutsideUntouched()
    {
        Assert.Equal(Secret, File.ReadAllBytes(_outside));
        Assert.Equal(OutsideTime, File.GetLastWriteTimeUtc(_outside));
        Assert.Equal([_outside], Directory.GetFileSystemEntries(_outsideFolder));
    }

    /// <summary>A fact about Windows-only file-system objects (junctions): skipped, with the reason, elsewhere.</summary>
    [AttributeUsage(AttributeTargets.Method)]
    private sealed class WindowsFactAttribute : FactAttribute
    {
        public WindowsFactAttribute()
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                Skip = "junctions exist only on Windows";
            }
        }
    }
}
