using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using OciRegistry.Core.Extraction;
using OciRegistry.Core.LocalFiles;
using OciRegistry.Core.References;
using Xunit;

namespace OciRegistry.Core.Tests.Extraction;

public sealed class ImageFileFinderTests
{
    [Fact]
    public async Task Find_AFileOfTheTopLayer_ReadsThatLayerAlone()
    {
        var source = new MemoryImage()
            .Layer(new LayerTar().File("usr/local/bin/tool", "old"))
            .Layer(new LayerTar().File("big", new string('x', 100_000)))
            .Layer(new LayerTar().File("usr/local/bin/tool", "new"));
        var finder = new ImageFileFinder(source.Build(), new ExtractionOptions(), new MemoryFileSink());

        var files = await finder.FindAsync(ImageFileQuery.Literal("/usr/local/bin/tool", recurse: false));

        Assert.Equal("new", Text(files.Single()));
        Assert.Equal(1, finder.LayersRead);
        Assert.Equal(1, source.Opened);
    }

    [Fact]
    public async Task Find_HonoursWhiteoutsAndOpaqueFolders()
    {
        var image = new MemoryImage()
            .Layer(new LayerTar().File("etc/gone", "g").File("opt/hidden", "h").File("opt/kept-below", "k"))
            .Layer(new LayerTar().Whiteout("etc/gone").Opaque("opt").File("opt/new", "n"))
            .Build();
        var finder = new ImageFileFinder(image, new ExtractionOptions(), new MemoryFileSink());

        await Assert.ThrowsAsync<ImageFileNotFoundException>(() => finder.FindAsync(ImageFileQuery.Literal("etc/gone", false)));
        await Assert.ThrowsAsync<ImageFileNotFoundException>(() => finder.FindAsync(ImageFileQuery.Literal("opt/hidden", false)));
        Assert.Equal("n", Text((await finder.FindAsync(ImageFileQuery.Literal("opt/new", false))).Single()));
    }

    [Fact]
    public async Task Find_FollowsLinksInsideTheImageRoot_NeverOutside()
    {
        var image = new MemoryImage()
            .Layer(new LayerTar().File("etc/real", "inside").Symlink("bin", "usr/bin").File("usr/bin/tool", "tool"))
            .Layer(new LayerTar().Symlink("abs", "/etc/real").Symlink("up", "../../../../etc/real").Symlink("loop", "loop"))
            .Build();
        var finder = new ImageFileFinder(image, new ExtractionOptions(), new MemoryFileSink());

        Assert.Equal("inside", Text((await finder.FindAsync(ImageFileQuery.Literal("abs", false))).Single()));
        Assert.Equal("inside", Text((await finder.FindAsync(ImageFileQuery.Literal("up", false))).Single()));
        Assert.Equal("tool", Text((await finder.FindAsync(ImageFileQuery.Literal("/bin/tool", false))).Single()));
        var loop = await Assert.ThrowsAsync<ImageFileNotFoundException>(() => finder.FindAsync(ImageFileQuery.Literal("loop", false)));
        Assert.Contains("40 symbolic links", loop.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Find_GivesAHardLinkTheContentOfItsTargetInItsOwnLayer()
    {
        var image = new MemoryImage()
            .Layer(new LayerTar().File("a", "first").HardLink("b", "a"))
            .Layer(new LayerTar().File("a", "replaced"))
            .Build();
        var finder = new ImageFileFinder(image, new ExtractionOptions(), new MemoryFileSink());

        Assert.Equal("first", Text((await finder.FindAsync(ImageFileQuery.Literal("b", false))).Single()));
    }

    [Fact]
    public async Task Find_FolderWithRecurse_KeepsStructure_AndRefusesWhatLiesBelowALink()
    {
        var image = new MemoryImage()
            .Layer(new LayerTar().File("etc/ssl/a.pem", "a").File("etc/ssl/sub/b.pem", "b"))
            .Layer(new LayerTar().Symlink("etc/ssl/l", "/outside").File("etc/ssl/l/c", "through"))
            .Build();
        var finder = new ImageFileFinder(image, new ExtractionOptions(), new MemoryFileSink());

        await Assert.ThrowsAsync<UnsafeEntryException>(() => finder.FindAsync(ImageFileQuery.Literal("etc/ssl", recurse: true)));
        var skipping = new ImageFileFinder(image, new ExtractionOptions { SkipUnsafeEntries = true }, new MemoryFileSink());
        var files = await skipping.FindAsync(ImageFileQuery.Literal("etc/ssl", recurse: true));

        Assert.Equal(["ssl/a.pem", "ssl/sub/b.pem"], files.Select(file => file.OutputPath).OrderBy(path => path, StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public async Task Find_WithAPattern_MatchesVisiblePathsOnly()
    {
        var image = new MemoryImage()
            .Layer(new LayerTar().File("bin/a", "a").File("bin/b", "b").File("bin/sub/c", "c"))
            .Layer(new LayerTar().Whiteout("bin/b"))
            .Build();
        var finder = new ImageFileFinder(image, new ExtractionOptions(), new MemoryFileSink());

        var files = await finder.FindAsync(ImageFileQuery.Pattern("/bin/*", path => path.StartsWith("bin/", StringComparison.Ordinal) && path.Count(c => c == '/') == 1, recurse: false));

        Assert.Equal(["a"], files.Select(file => file.OutputPath).ToArray());
    }

    [Fact]
    public async Task Find_DiscardsWhatCameFromALayerThatDoesNotMatchItsDigest()
    {
        var image = new MemoryImage().Corrupt(new LayerTar().File("f", "x").Gzip()).Build();
        var finder = new ImageFileFinder(image, new ExtractionOptions(), new MemoryFileSink());

        await Assert.ThrowsAsync<ContentVerificationException>(() => finder.FindAsync(ImageFileQuery.Literal("f", false)));
    }

    private static string Text(PendingFile file) => System.Text.Encoding.UTF8.GetString(((MemoryFileSink.InMemory)file).Content);
}

public sealed class ImageFileFinderHostileTests : IDisposable
{
    private readonly ExtractionFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Find_KeepsOnlyTheLastOfAnEntryRepeatedInOneLayer()
    {
        var image = new MemoryImage().Layer(new LayerTar().File("etc/motd", "first").File("etc/motd", "second").File("etc/motd", "last")).Build();
        var sink = new MemoryFileSink(maximumTotalBytes: 100);
        var files = await new ImageFileFinder(image, new ExtractionOptions(), sink).FindAsync(ImageFileQuery.Literal("etc/motd", false));

        Assert.Equal("last", System.Text.Encoding.UTF8.GetString(((MemoryFileSink.InMemory)files.Single()).Content));
    }

    [Fact]
    public async Task Find_BoundsWhatIsHeldInMemory_AcrossFiles()
    {
        var image = new MemoryImage().Layer(new LayerTar().File("a", new string('a', 60)).File("b", new string('b', 60))).Build();
        var finder = new ImageFileFinder(image, new ExtractionOptions(), new MemoryFileSink(maximumTotalBytes: 100));

        await Assert.ThrowsAsync<ContentTooLargeException>(() => finder.FindAsync(ImageFileQuery.Pattern("*", _ => true, false)));
    }

    [Fact]
    public async Task Find_CommitsNothing_WhenAFileIsReplacedByAFolderInTheSameLayer()
    {
        var image = new MemoryImage().Layer(new LayerTar().File("etc/motd", "EVIL-FIRST").Dir("etc/motd")).Build();
        var finder = new ImageFileFinder(image, new ExtractionOptions(), new FolderFileSink(_folder.Destination, overwrite: false));

        await Assert.ThrowsAsync<ImageFileNotFoundException>(() => finder.FindAsync(ImageFileQuery.Literal("etc/motd", false)));

        Assert.False(File.Exists(_folder.In("motd")));
        Assert.Empty(Directory.Exists(_folder.Destination) ? Directory.GetFileSystemEntries(_folder.Destination) : []);
    }

    [Fact]
    public async Task Find_NeverWritesThroughALinkAlreadyInTheDestination()
    {
        Directory.CreateDirectory(_folder.Destination);
        FileSystemEntry.CreateSymbolicLink(_folder.In("etc"), _folder.Outside, targetIsDirectory: true);
        var image = new MemoryImage().Layer(new LayerTar().File("etc/cron.d/evil", "owned")).Build();
        var finder = new ImageFileFinder(image, new ExtractionOptions(), new FolderFileSink(_folder.Destination, overwrite: true));

        await Assert.ThrowsAsync<DestinationNotEmptyException>(() => finder.FindAsync(ImageFileQuery.Literal("etc", recurse: true)));

        _folder.AssertUntouched(destinationExists: true);
        Assert.DoesNotContain(Directory.GetFileSystemEntries(_folder.Destination), entry => entry.Contains(".partial-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Find_NamesTheFilesBelowALinkToTheRoot_UnderTheLinksName()
    {
        var image = new MemoryImage().Layer(new LayerTar().File("etc/passwd", "p").Symlink("root", "/")).Build();
        var files = await new ImageFileFinder(image, new ExtractionOptions { SkipUnsafeEntries = true }, new MemoryFileSink())
            .FindAsync(ImageFileQuery.Literal("root", recurse: true));

        Assert.Contains(files, file => file.OutputPath == "root/etc/passwd");
    }

    [Fact]
    public async Task Expand_RefusesAPathOfMoreThan256Components_AndRepeatedOpaqueMarkersStillWork()
    {
        var deep = string.Join("/", Enumerable.Repeat("a", EntryPath.MaximumComponents + 1));
        var refused = new MemoryImage().Layer(new LayerTar().Dir(deep)).Build();
        await Assert.ThrowsAsync<UnsafeEntryException>(() => new ImageExpander(refused, new ExtractionOptions()).ExpandAsync(_folder.Destination, merge: false));

        var opaque = new MemoryImage()
            .Layer(new LayerTar().File("d/old", "o"))
            .Layer(new LayerTar().File("d/new", "n").Opaque("d").Opaque("d").Opaque("d"))
            .Build();
        await new ImageExpander(opaque, new ExtractionOptions()).ExpandAsync(_folder.Destination, merge: false);
        Assert.Equal(["new"], Directory.GetFileSystemEntries(_folder.In("d")).Select(entry => Path.GetFileName(entry)!).ToArray());
    }

    [Fact]
    public async Task Find_NeverReplacesAFolderWithAFile_EvenWhenReplacingIsAllowed()
    {
        Directory.CreateDirectory(_folder.In("motd"));
        File.WriteAllText(_folder.In("motd/keep"), "mine");
        var image = new MemoryImage().Layer(new LayerTar().File("etc/motd", "image")).Build();
        var finder = new ImageFileFinder(image, new ExtractionOptions(), new FolderFileSink(_folder.Destination, overwrite: true));

        await Assert.ThrowsAsync<DestinationNotEmptyException>(() => finder.FindAsync(ImageFileQuery.Literal("etc/motd", false)));

        Assert.Equal("mine", File.ReadAllText(_folder.In("motd/keep")));
        Assert.DoesNotContain(Directory.GetFileSystemEntries(_folder.Destination), entry => entry.Contains(".partial-", StringComparison.Ordinal));
    }
}
