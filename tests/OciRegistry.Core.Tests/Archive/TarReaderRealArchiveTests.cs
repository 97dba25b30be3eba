using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using OciRegistry.Core.Archive;

namespace OciRegistry.Core.Tests.Archive;

/// <summary>Archives written by Python's tarfile in each of its formats and by GNU tar: the dialects as real writers emit them.</summary>
public sealed class TarReaderRealArchiveTests
{
    private static readonly string Long150 = string.Join("/", Enumerable.Repeat("abcdefghi", 15));
    private static readonly string Long300 = string.Join("/", Enumerable.Repeat("abcdefghijklmnopqrs", 15));

    private const string AddEntries = """
        def add(name, kind=tarfile.REGTYPE, data=b'', **fields):
            info = tarfile.TarInfo(name)
            info.type = kind
            info.size = len(data)
            info.mtime = 1700000000
            info.mode = 0o644
            for key, value in fields.items():
                setattr(info, key, value)
            t.addfile(info, io.BytesIO(data) if data else None)

        """;

    [ToolFact("python3")]
    public async Task PaxFormat_LongNamesLinksFractionsAndEveryType_AreRead()
    {
        var archive = await ExternalTar.PythonAsync($$"""
            t = tarfile.open(fileobj=out, mode='w|', format=tarfile.PAX_FORMAT)
            {{AddEntries}}
            add('{{Long300}}/file', data=b'hello', mtime=1700000000.25, uid=3000000, uname='ü-user')
            add('dir', tarfile.DIRTYPE, mode=0o4755)
            add('link', tarfile.SYMTYPE, linkname='{{Long300}}')
            add('hard', tarfile.LNKTYPE, linkname='{{Long300}}/file')
            add('fifo', tarfile.FIFOTYPE)
            add('tty', tarfile.CHRTYPE, devmajor=4, devminor=64)
            add('sda', tarfile.BLKTYPE, devmajor=8, devminor=1)
            add('naïve', data=b'x' * 1000)
            t.close()
            """);

        var entries = await Tars.ReadAllAsync(archive);

        Assert.Equal(8, entries.Count);
        var (file, data) = entries[0];
        Assert.Equal(Long300 + "/file", file.Name);
        Assert.Equal(TarEntryType.File, file.Type);
        Assert.Equal("hello", Encoding.ASCII.GetString(data));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_250), file.ModifiedTime);
        Assert.Equal(3000000, file.Uid);
        Assert.Equal("ü-user", file.UserName);
        Assert.Equal(0, file.HeaderOffset);
        Assert.Equal((TarEntryType.Directory, "dir/", Convert.ToInt32("4755", 8), 0L), (entries[1].Entry.Type, entries[1].Entry.Name, entries[1].Entry.Mode, entries[1].Entry.Size));
        Assert.Equal((TarEntryType.SymbolicLink, Long300), (entries[2].Entry.Type, entries[2].Entry.LinkName));
        Assert.Equal((TarEntryType.HardLink, Long300 + "/file"), (entries[3].Entry.Type, entries[3].Entry.LinkName));
        Assert.Equal(TarEntryType.Fifo, entries[4].Entry.Type);
        Assert.Equal((TarEntryType.CharacterDevice, 4, 64), (entries[5].Entry.Type, entries[5].Entry.DeviceMajor, entries[5].Entry.DeviceMinor));
        Assert.Equal((TarEntryType.BlockDevice, 8, 1), (entries[6].Entry.Type, entries[6].Entry.DeviceMajor, entries[6].Entry.DeviceMinor));
        Assert.Equal(("naïve", 1000), (entries[7].Entry.Name, entries[7].Data.Length));
    }

    [ToolFact("python3")]
    public async Task GnuFormat_LongNamesAndBase256Ids_AreRead()
    {
        var archive = await ExternalTar.PythonAsync($$"""
            t = tarfile.open(fileobj=out, mode='w|', format=tarfile.GNU_FORMAT)
            {{AddEntries}}
            add('{{Long300}}', data=b'gnu', uid=8**7 + 5, gid=2**40)
            add('sym', tarfile.SYMTYPE, linkname='{{Long150}}')
            t.close()
            """);

        var entries = await Tars.ReadAllAsync(archive);

        Assert.Equal(2, entries.Count);
        Assert.Equal(Long300, entries[0].Entry.Name);
        Assert.Equal("gnu", Encoding.ASCII.GetString(entries[0].Data));
        Assert.Equal((8L * 8 * 8 * 8 * 8 * 8 * 8) + 5, entries[0].Entry.Uid);
        Assert.Equal(1L << 40, entries[0].Entry.Gid);
        Assert.Equal(Long150, entries[1].Entry.LinkName);
    }

    [ToolFact("python3")]
    public async Task UstarFormat_NameSplitIntoPrefix_IsJoined()
    {
        var archive = await ExternalTar.PythonAsync($$"""
            t = tarfile.open(fileobj=out, mode='w|', format=tarfile.USTAR_FORMAT)
            {{AddEntries}}
            add('{{Long150}}', data=b'ustar', uname='root', gname='wheel')
            t.close()
            """);

        var (entry, data) = Assert.Single(await Tars.ReadAllAsync(archive));

        Assert.Equal(Long150, entry.Name);
        Assert.Equal(("root", "wheel"), (entry.UserName, entry.GroupName));
        Assert.Equal("ustar", Encoding.ASCII.GetString(data));
    }

    [ToolFact("python3")]
    public async Task PaxGlobalHeader_FromPython_SetsOwnerForLaterEntries()
    {
        var archive = await ExternalTar.PythonAsync($$"""
            t = tarfile.open(fileobj=out, mode='w|', format=tarfile.PAX_FORMAT, pax_headers={'uname': 'builder', 'comment': 'ignored'})
            {{AddEntries}}
            add('a', data=b'1')
            add('b', data=b'2', uname='ö-own')
            t.close()
            """);

        var entries = await Tars.ReadAllAsync(archive);

        Assert.Equal(["a", "b"], entries.Select(e => e.Entry.Name));
        Assert.Equal("builder", entries[0].Entry.UserName);
        Assert.Equal("ö-own", entries[1].Entry.UserName);
    }

    [ToolFact("tar")]
    public async Task GnuTar_PosixAndGnuFormats_ReadTheSameTree()
    {
        var root = Directory.CreateTempSubdirectory("tar-tree-");
        try
        {
            var deep = Path.Combine(root.FullName, Long150.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(deep);
            await File.WriteAllTextAsync(Path.Combine(deep, "data.txt"), "deep content");
            File.CreateSymbolicLink(Path.Combine(root.FullName, "link"), Long150 + "/data.txt");
            foreach (var format in new[] { "posix", "gnu" })
            {
                var archive = await ExternalTar.GnuTarAsync(root.FullName, $"--format={format}", "--sort=name", "-cf", "-", "abcdefghi", "link");

                var entries = await Tars.ReadAllAsync(archive);

                var file = Assert.Single(entries, e => e.Entry.Type == TarEntryType.File);
                Assert.Equal(Long150 + "/data.txt", file.Entry.Name);
                Assert.Equal("deep content", Encoding.ASCII.GetString(file.Data));
                Assert.Equal(15, entries.Count(e => e.Entry.Type == TarEntryType.Directory));
                var link = Assert.Single(entries, e => e.Entry.Type == TarEntryType.SymbolicLink);
                Assert.Equal(("link", Long150 + "/data.txt"), (link.Entry.Name, link.Entry.LinkName));
            }
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
