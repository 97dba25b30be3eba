using System;
using System.Collections.Generic;
using System.Formats.Tar;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;
using OciRegistry.TestRegistry;

namespace OciRegistry.Core.Tests.TestRegistry;

public sealed class SampleContentTests
{
    private const string Repository = SampleContent.Repository;
    private readonly ContentStore _store = new();

    public SampleContentTests() => SampleContent.AddTo(_store);

    [Fact]
    public void AddTo_Twice_GivesTheSameDigests()
    {
        var other = new ContentStore();
        SampleContent.AddTo(other);

        foreach (var tag in new[] { "1.0", "latest", "docker", "readme" })
        {
            Assert.Equal(_store.FindManifest(Repository, tag)!.Digest, other.FindManifest(Repository, tag)!.Digest);
        }
    }

    [Fact]
    public void AddTo_Index_HasThePinnedDigest()
    {
        // The digest is part of what demos and docs show; a change must be deliberate.
        Assert.Equal(
            "sha256:be96f20989ab698511e0be2d030382ff5adff7db91eea8fd381baa2339c3c040",
            _store.FindManifest(Repository, "1.0")!.Digest.ToString());
    }

    [Fact]
    public void AddTo_Tags_AreTheDocumentedOnes()
    {
        Assert.Equal(["1.0", "docker", "latest", "readme"], _store.GetTags(Repository));
        Assert.Equal(_store.FindManifest(Repository, "1.0")!.Digest, _store.FindManifest(Repository, "latest")!.Digest);
    }

    [Fact]
    public void Index_ListsAmd64AndArm64V8Images()
    {
        var index = Assert.IsType<ImageIndex>(Parse("1.0"));

        Assert.Equal(MediaTypes.OciIndex, index.MediaType);
        Assert.Equal(["linux/amd64", "linux/arm64/v8"], index.Manifests.Select(m => m.Platform!.ToString()));
        foreach (var entry in index.Manifests)
        {
            var stored = _store.FindManifest(Repository, entry.Digest)!;
            Assert.Equal(entry.Size, stored.Content.Length);
            Assert.Equal(entry.MediaType, stored.MediaType);
        }
    }

    [Theory]
    [InlineData(0, "amd64", null)]
    [InlineData(1, "arm64", "v8")]
    public void Image_ConfigAndLayer_AgreeWithEachOther(int position, string architecture, string? variant)
    {
        var entry = Assert.IsType<ImageIndex>(Parse("1.0")).Manifests[position];
        var manifest = Assert.IsType<ImageManifest>(ManifestParser.Parse(_store.FindManifest(Repository, entry.Digest)!.Content, entry.MediaType));

        Assert.Equal(MediaTypes.OciConfig, manifest.Config.MediaType);
        var layer = Assert.Single(manifest.Layers);
        Assert.Equal(MediaTypes.OciLayerTar, layer.MediaType);
        Assert.Equal($"hello-linux-{architecture}.tar", layer.Title);
        var layerBytes = Blob(layer);
        using var config = JsonDocument.Parse(Blob(manifest.Config));
        var root = config.RootElement;
        Assert.Equal(architecture, root.GetProperty("architecture").GetString());
        Assert.Equal("linux", root.GetProperty("os").GetString());
        Assert.Equal(variant, root.TryGetProperty("variant", out var v) ? v.GetString() : null);
        Assert.Equal("2024-01-01T00:00:00Z", root.GetProperty("created").GetString());
        Assert.Equal(Digest.Compute(layerBytes).ToString(), Assert.Single(root.GetProperty("rootfs").GetProperty("diff_ids").EnumerateArray()).GetString());
        Assert.Equal(2, root.GetProperty("config").GetProperty("Cmd").GetArrayLength());
        Assert.Contains($"linux/{architecture}", HelloText(layerBytes));
    }

    [Fact]
    public void Docker_LayerIsGzipAndDiffIdNamesTheTar()
    {
        var manifest = Assert.IsType<ImageManifest>(Parse("docker"));

        Assert.Equal(MediaTypes.DockerManifest, manifest.MediaType);
        Assert.Equal(MediaTypes.DockerConfig, manifest.Config.MediaType);
        var layer = Assert.Single(manifest.Layers);
        Assert.Equal(MediaTypes.DockerLayerGzip, layer.MediaType);
        using var gzip = new GZipStream(new MemoryStream(Blob(layer)), CompressionMode.Decompress);
        using var tar = new MemoryStream();
        gzip.CopyTo(tar);
        using var config = JsonDocument.Parse(Blob(manifest.Config));
        var diffId = Assert.Single(config.RootElement.GetProperty("rootfs").GetProperty("diff_ids").EnumerateArray()).GetString();
        Assert.Equal(Digest.Compute(tar.ToArray()).ToString(), diffId);
        Assert.Contains("linux/amd64", HelloText(tar.ToArray()));
    }

    [Fact]
    public void Readme_IsAnArtifactAttachedToTheAmd64Image()
    {
        var readme = Assert.IsType<ImageManifest>(Parse("readme"));
        var amd64 = Assert.IsType<ImageIndex>(Parse("1.0")).Manifests[0];

        Assert.Equal(SampleContent.ReadmeArtifactType, readme.ArtifactType);
        Assert.Equal(SampleContent.ReadmeArtifactType, readme.EffectiveArtifactType);
        Assert.Equal(MediaTypes.OciEmpty, readme.Config.MediaType);
        Assert.Equal("{}", Encoding.UTF8.GetString(Blob(readme.Config)));
        Assert.Equal("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", readme.Config.Digest.ToString());
        var layer = Assert.Single(readme.Layers);
        Assert.Equal("text/markdown", layer.MediaType);
        Assert.Equal("README.md", layer.Title);
        Assert.StartsWith("# samples/hello", Encoding.UTF8.GetString(Blob(layer)));
        Assert.Equal(amd64.Digest, readme.Subject!.Digest);
        Assert.Equal(amd64.Size, readme.Subject.Size);
        Assert.Equal(MediaTypes.OciManifest, readme.Subject.MediaType);
    }

    [Fact]
    public void EveryReferencedBlob_IsStoredAndMatchesItsDescriptor()
    {
        var blobs = 0;
        foreach (var tag in _store.GetTags(Repository))
        {
            var document = Parse(tag);
            var manifests = document is ImageIndex index
                ? index.Manifests.Select(m => (ImageManifest)ManifestParser.Parse(_store.FindManifest(Repository, m.Digest)!.Content, m.MediaType))
                : [(ImageManifest)document];
            foreach (var descriptor in manifests.SelectMany(m => m.Layers.Prepend(m.Config)))
            {
                var bytes = Blob(descriptor);
                Assert.Equal(descriptor.Size, bytes.Length);
                Assert.Equal(descriptor.Digest, Digest.Compute(bytes));
                blobs++;
            }
        }

        Assert.True(blobs >= 8);
    }

    private ManifestDocument Parse(string tag)
    {
        var stored = _store.FindManifest(Repository, tag)!;
        var document = ManifestParser.Parse(stored.Content, stored.MediaType);
        Assert.Equal(stored.Digest, document.Digest);
        return document;
    }

    private byte[] Blob(Descriptor descriptor)
    {
        var blob = _store.FindBlob(Repository, descriptor.Digest);
        Assert.NotNull(blob);
        return blob.Content!;
    }

    private static string HelloText(byte[] tar)
    {
        using var reader = new TarReader(new MemoryStream(tar));
        var entry = reader.GetNextEntry()!;
        Assert.Equal("hello.txt", entry.Name);
        Assert.Equal(TarEntryType.RegularFile, entry.EntryType);
        Assert.Null(reader.GetNextEntry());
        using var text = new StreamReader(entry.DataStream!);
        return text.ReadToEnd();
    }
}
