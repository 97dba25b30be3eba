using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using OciRegistry.Core.Extraction;
using OciRegistry.Core.LocalFiles;
using OciRegistry.Core.References;
using Xunit;

namespace OciRegistry.Core.Tests.Extraction;

public sealed class ImageExpanderTests : IDisposable
{
    private readonly ExtractionFolder _folder = new();
    private readonly List<string> _warnings = [];

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Expand_AppliesWhiteoutsOpaqueFoldersAndLinks_AcrossLayers()
    {
        var image = new MemoryImage()
            .Layer(new LayerTar().Dir("etc").File("etc/keep", "k").File("etc/gone", "g").Dir("opt").File("opt/old", "o")
                .File("bin/tool", "v1", 0x1ED).HardLink("bin/same", "bin/tool").Symlink("lib", "usr/lib").File("usr/lib/x", "x"))
            .Layer(new LayerTar().Whiteout("etc/gone").File("opt/new", "n").Opaque("opt").File("bin/tool", "v2", 0x9ED))
            .Build();

        var result = await Expand(image);

        Assert.Equal("k", File.ReadAllText(_folder.In("etc/keep")));
        Assert.False(File.Exists(_folder.In("etc/gone")));
        Assert.Equal(["new"], Names(_folder.In("opt")));
        Assert.Equal("v2", File.ReadAllText(_folder.In("bin/tool")));
        Assert.Equal("v1", File.ReadAllText(_folder.In("bin/same")));
        Assert.Equal("usr/lib", FileSystemEntry.ReadSymbolicLink(_folder.In("lib")));
        Assert.Equal(2, result.Links);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal("755", FileMode.Of(_folder.In("bin/tool")));
        }

        _folder.AssertUntouched(destinationExists: true);
    }

    [Fact]
    public async Task Expand_KeepsSetIdBits_OnlyWhenAsked()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var image = new MemoryImage().Layer(new LayerTar().File("su", "x", 0x9ED)).Build();
        await Expand(image, options => options.PreservePermissions = true);

        Assert.Equal("4755", FileMode.Of(_folder.In("su")));
    }

    public static TheoryData<string> Attacks => new()
    {
        "planted link, same layer",
        "planted link, lower layer",
        "planted link to a folder inside, then through it",
        "absolute path",
        "dot-dot",
        "NUL in a pax name",
        "hard link outside",
        "hard link to an absolute path",
        "hard link to what is not extracted yet",
        "hard link through a planted link",
    };

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task Expand_RefusesEntriesThatWouldEscape_AndKeepsNothing(string attack)
    {
        var image = Image(Attack(attack, _folder.Outside));

        var refused = await Assert.ThrowsAsync<UnsafeEntryException>(() => Expand(image));

        Assert.StartsWith("layer ", refused.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_folder.Destination), attack);
        _folder.AssertUntouched(destinationExists: false);
    }

    private static LayerTar[] Attack(string name, string outside) => name switch
    {
        "planted link, same layer" => [new LayerTar().Symlink("link", outside).File("link/passwd", "owned")],
        "planted link, lower layer" => [new LayerTar().Symlink("link", outside), new LayerTar().File("link/passwd", "owned")],
        "planted link to a folder inside, then through it" => [new LayerTar().Dir("d").Symlink("l", "d"), new LayerTar().File("l/x", "owned")],
        "absolute path" => [new LayerTar().PaxFile(outside + "/passwd", "owned")],
        "dot-dot" => [new LayerTar().File("a/../../outside/passwd", "owned")],
        "NUL in a pax name" => [new LayerTar().PaxFile("a\0/../../outside/passwd", "owned")],
        "hard link outside" => [new LayerTar().HardLink("h", "../outside/passwd")],
        "hard link to an absolute path" => [new LayerTar().HardLink("h", outside + "/passwd")],
        "hard link to what is not extracted yet" => [new LayerTar().HardLink("h", "later").File("later", "x")],
        "hard link through a planted link" => [new LayerTar().Symlink("l", outside).HardLink("h", "l/passwd")],
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Fact]
    public async Task Expand_SkipsUnsafeEntriesWithAWarning_WhenAsked()
    {
        var image = Image([new LayerTar().Symlink("link", _folder.Outside).File("link/passwd", "owned").File("ok", "fine")]);

        var result = await Expand(image, options => options.SkipUnsafeEntries = true);

        Assert.Equal("fine", File.ReadAllText(_folder.In("ok")));
        Assert.Contains(_warnings, warning => warning.Contains("link/passwd", StringComparison.Ordinal));
        Assert.Equal(1, result.Files);
        _folder.AssertUntouched(destinationExists: true);
    }

    [Theory]
    [InlineData("CON")]
    [InlineData("aux.txt")]
    [InlineData("a\\..\\..\\x")]
    [InlineData("C:x")]
    [InlineData("trailing.")]
    [InlineData("trailing ")]
    public async Task Expand_RefusesNamesWindowsReadsOtherwise_UnderWindowsRules(string name)
    {
        var image = Image([new LayerTar().File(name, "x")]);

        await Assert.ThrowsAsync<UnsafeEntryException>(() => Expand(image, options => options.WindowsNames = true));
        Assert.False(Directory.Exists(_folder.Destination));
    }

    [Fact]
    public async Task Expand_WritesWindowsReservedNames_AsOrdinaryNamesOnUnix()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var image = Image([new LayerTar().File("CON", "c").File("aux.txt", "a").File("back\\slash", "b")]);

        await Expand(image, options => options.WindowsNames = false);

        Assert.Equal("a", File.ReadAllText(_folder.In("aux.txt")));
        Assert.Equal("b", File.ReadAllText(_folder.In("back\\slash")));
    }

    [Fact]
    public async Task Expand_RefusesNamesThatDifferOnlyByCase_WhenTheFileSystemFoldsCase()
    {
        var image = Image([new LayerTar().File("Makefile", "a").File("makefile", "b")]);

        var refused = await Assert.ThrowsAsync<UnsafeEntryException>(() => Expand(image, options => options.CaseInsensitive = true));

        Assert.Contains("only by case", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Expand_FailsOnADigestMismatch_AndLeavesNoStagingFolder()
    {
        var image = new MemoryImage().Layer(new LayerTar().File("a", "a")).Corrupt(new LayerTar().File("b", "b").Gzip()).Build();

        await Assert.ThrowsAsync<ContentVerificationException>(() => Expand(image));

        _folder.AssertUntouched(destinationExists: false);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("zstd")]
    public async Task Expand_StopsADecompressionBomb_AtTheMaximumSize(string compression)
    {
        var zeros = new byte[64 * 1024 * 1024];
        var tar = new LayerTar().File("bomb", zeros).ToArray();
        var blob = compression == "gzip" ? Compress.Gzip(tar) : Compress.Zstd(tar);
        Assert.True(blob.Length < 1024 * 1024, "the bomb is small");
        var image = new MemoryImage().Layer(blob).Build();

        var limit = await Assert.ThrowsAsync<LayerLimitException>(() => Expand(image, options => options.MaximumSize = 16 * 1024 * 1024));

        Assert.True(limit.Raisable);
        _folder.AssertUntouched(destinationExists: false);
    }

    [Fact]
    public async Task Expand_RefusesAHeaderClaimingMoreThanTheMaximumSize_BeforeReadingIt()
    {
        var image = new MemoryImage().Layer(new LayerTar().Claim("huge", 1L << 40)).Build();

        var limit = await Assert.ThrowsAsync<LayerLimitException>(() => Expand(image));

        Assert.Contains("claims", limit.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Expand_StopsAMillionTinyEntries_WithinBoundedWork()
    {
        var image = new MemoryImage().Streamed(() => new EmptyEntries(ExtractionOptions.DefaultMaximumEntries + 1), long.MaxValue).Build();

        var limit = await Assert.ThrowsAsync<LayerLimitException>(() => Expand(image, options => options.Include = _ => false));

        Assert.False(limit.Raisable);
        Assert.Contains("entries", limit.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Expand_RefusesANameOf64KiB()
    {
        var image = Image([new LayerTar().PaxFile(new string('a', 64 * 1024), "x")]);

        await Assert.ThrowsAsync<LayerFormatException>(() => Expand(image));
    }

    [Fact]
    public async Task Expand_RefusesAFolderThatIsNotEmpty_UnlessMerging_AndMergeReplacesLinksWithoutFollowingThem()
    {
        Directory.CreateDirectory(_folder.Destination);
        FileSystemEntry.CreateSymbolicLink(_folder.In("etc"), _folder.Outside, targetIsDirectory: true);
        var image = Image([new LayerTar().Dir("etc").File("etc/passwd", "image")]);

        await Assert.ThrowsAsync<DestinationNotEmptyException>(() => Expand(image));
        await new ImageExpander(image, new ExtractionOptions()).ExpandAsync(_folder.Destination, merge: true);

        Assert.Equal("image", File.ReadAllText(_folder.In("etc/passwd")));
        Assert.Equal(FileKind.Directory, RegularFile.GetStatus(_folder.In("etc")).Kind);
        _folder.AssertUntouched(destinationExists: true);
    }

    [Fact]
    public async Task Expand_SkipsDevicesAndFifos_WithAWarning()
    {
        var image = Image([new LayerTar().Fifo("pipe").File("a", "a")]);

        var result = await Expand(image);

        Assert.Equal(1, result.Skipped);
        Assert.False(File.Exists(_folder.In("pipe")));
        Assert.Contains(_warnings, warning => warning.Contains("FIFO", StringComparison.Ordinal));
    }

    private static ImageLayers Image(LayerTar[] layers)
    {
        var image = new MemoryImage();
        foreach (var layer in layers)
        {
            image.Layer(layer);
        }

        return image.Build();
    }

    private Task<ExpandedImage> Expand(ImageLayers image, Action<ExtractionOptions>? configure = null)
    {
        var options = new ExtractionOptions { Warning = _warnings.Add };
        configure?.Invoke(options);
        return new ImageExpander(image, options).ExpandAsync(_folder.Destination, merge: false);
    }

    private static string[] Names(string folder)
    {
        var names = Array.ConvertAll(Directory.GetFileSystemEntries(folder), entry => Path.GetFileName(entry)!);
        Array.Sort(names, StringComparer.Ordinal);
        return names;
    }
}
