using System;
using System.IO;
using System.Linq;
using System.Text;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;
using OciRegistry.TestRegistry;

namespace OciRegistry.Core.Tests.TestRegistry;

public sealed class ManifestBuilderTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ociregistry-builder-" + Guid.NewGuid().ToString("N"));

    public ManifestBuilderTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Build_FilesAsAnArtifact_GivesTheOrasShape()
    {
        var subject = new Descriptor { MediaType = MediaTypes.OciManifest, Digest = Digest.Compute(Encoding.ASCII.GetBytes("subject")), Size = 7 };
        var builder = new ManifestBuilder { ArtifactType = "application/vnd.example", Subject = subject, Annotations = { ["b"] = "2", ["a"] = "1" } };

        var built = builder.AddLayerFile("text/plain", File("notes.txt", "release notes")).AddLayerFile("text/plain", File("sbom.json", "{}")).Build();

        var manifest = Assert.IsType<ImageManifest>(ManifestParser.Parse(built.GetContent(), built.MediaType, built.Digest));
        Assert.Equal("application/vnd.example", manifest.ArtifactType);
        Assert.Equal((MediaTypes.OciEmpty, 2L), (manifest.Config.MediaType, manifest.Config.Size));
        Assert.Equal(["notes.txt", "sbom.json"], manifest.Layers.Select(l => l.Title));
        Assert.Equal(Digest.Compute(Encoding.ASCII.GetBytes("release notes")), manifest.Layers[0].Digest);
        Assert.Equal(subject.Digest, manifest.Subject!.Digest);
        Assert.Contains("\"annotations\":{\"a\":\"1\",\"b\":\"2\"}}", Encoding.UTF8.GetString(built.GetContent()), StringComparison.Ordinal);
    }

    [Fact]
    public void AddManifest_Built_StoresTheManifestAndEveryBlob()
    {
        var store = new ContentStore();
        var built = new ManifestBuilder().SetConfig(MediaTypes.OciConfig, Encoding.ASCII.GetBytes("{\"os\":\"linux\"}"))
            .AddLayer(MediaTypes.OciLayerTar, Encoding.ASCII.GetBytes("layer"))
            .AddLayerFile("text/plain", File("file.txt", "file"))
            .Build();

        var manifest = store.AddManifest("repo", built, "v1");

        Assert.Equal(built.Digest, manifest.Digest);
        Assert.Equal(built.Digest, store.FindManifest("repo", "v1")!.Digest);
        Assert.All(manifest.Layers.Prepend(manifest.Config), descriptor => Assert.Equal(descriptor.Size, store.FindBlob("repo", descriptor.Digest)!.Size));
        Assert.Equal(Path.Combine(_directory, "file.txt"), store.FindBlob("repo", manifest.Layers[1].Digest)!.Path);
    }

    [Fact]
    public void AddManifest_InvalidTag_StoresNothing()
    {
        var store = new ContentStore();
        var built = new ManifestBuilder().AddLayer("text/plain", Encoding.ASCII.GetBytes("layer")).Build();

        Assert.Throws<ArgumentException>(() => store.AddManifest("repo", built, "-bad"));

        Assert.Empty(store.Repositories);
    }

    [Fact]
    public void AddLayerFile_TwoFilesWithOneName_Throws()
    {
        var builder = new ManifestBuilder().AddLayerFile("text/plain", File("same.txt", "one"));
        Directory.CreateDirectory(Path.Combine(_directory, "other"));

        var error = Assert.Throws<ArgumentException>(() => builder.AddLayerFile("text/plain", File(Path.Combine("other", "same.txt"), "two")));

        Assert.Contains("'same.txt'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddLayerFile_MissingFile_ThrowsFileNotFound() =>
        Assert.Throws<FileNotFoundException>(() => new ManifestBuilder().AddLayerFile("text/plain", Path.Combine(_directory, "missing")));

    [Fact]
    public void AddLayer_ContentChangedAfterwards_BuildsTheOriginal()
    {
        var content = Encoding.ASCII.GetBytes("original");
        var builder = new ManifestBuilder().AddLayer("text/plain", content);

        content[0] = (byte)'X';

        var manifest = (ImageManifest)ManifestParser.Parse(builder.Build().GetContent(), MediaTypes.OciManifest);
        Assert.Equal(Digest.Compute(Encoding.ASCII.GetBytes("original")), manifest.Layers[0].Digest);
    }

    private string File(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }
}
