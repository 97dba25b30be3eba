using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading.Tasks;
using OciRegistry.Core.Layout;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;
using OciRegistry.TestRegistry;

namespace OciRegistry.Core.Tests.Layout;

public sealed class OciLayoutReaderTests : IDisposable
{
    private const string Repository = "fixtures/layout";
    private readonly LayoutBuilder _layout = new();
    private readonly ContentStore _store = new();

    public void Dispose() => _layout.Dispose();

    [Fact]
    public void Load_NestedIndexAndTags_RegistersEverythingReachable()
    {
        var amd64 = _layout.Image("amd64");
        var arm64 = _layout.Image("arm64");
        var solo = _layout.Image("solo");
        var inner = _layout.Index(amd64.Manifest);
        var outer = _layout.Index(inner, arm64.Manifest);
        _layout.WriteIndexJson(
            outer.Tagged("1.0"),
            solo.Manifest.Tagged("solo"),
            amd64.Manifest.Tagged("Not A Tag!"),
            arm64.Manifest.Tagged("docker.io/library/x:1"),
            solo.Manifest.Tagged("latest"));

        var tags = _store.AddLayout(_layout.Root, Repository);

        Assert.Equal(["1.0", "solo", "latest"], tags);
        Assert.Equal(["1.0", "latest", "solo"], _store.GetTags(Repository));
        Assert.Equal(outer.Digest, _store.FindManifest(Repository, "1.0")!.Digest);
        Assert.Equal(MediaTypes.OciIndex, _store.FindManifest(Repository, inner.Digest)!.MediaType);
        foreach (var image in new[] { amd64, arm64, solo })
        {
            Assert.Equal(MediaTypes.OciManifest, _store.FindManifest(Repository, image.Manifest.Digest)!.MediaType);
            foreach (var blob in new[] { image.Config, image.Layer })
            {
                var stored = _store.FindBlob(Repository, blob.Digest)!;
                Assert.Null(stored.Content);
                Assert.Equal(_layout.BlobPath(blob.Digest), stored.Path);
                Assert.Equal(blob.Size, stored.Size);
            }
        }
    }

    [Fact]
    public void Load_SameLayoutTwice_IsIdempotent()
    {
        var image = _layout.Image("one");
        _layout.WriteIndexJson(image.Manifest.Tagged("v1"));

        _store.AddLayout(_layout.Root, Repository);
        _store.AddLayout(_layout.Root, "second/name");

        Assert.Equal(["v1"], _store.GetTags(Repository));
        Assert.Equal(["v1"], _store.GetTags("second/name"));
    }

    [Fact]
    public async Task Load_IntoRunningServer_ServesManifestsAndBlobFiles()
    {
        var image = _layout.Image("served");
        _layout.WriteIndexJson(_layout.Index(image.Manifest).Tagged("1.0"));
        using var server = await TestRegistryServer.StartAsync();
        server.Content.AddLayout(_layout.Root, Repository);
        using var client = new HttpClient { BaseAddress = server.Url };

        using var index = await client.GetAsync($"v2/{Repository}/manifests/1.0");
        var manifest = await client.GetByteArrayAsync($"v2/{Repository}/manifests/{image.Manifest.Digest}");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v2/{Repository}/blobs/{image.Layer.Digest}");
        request.Headers.Range = new RangeHeaderValue(0, 4);
        using var layer = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Equal(MediaTypes.OciIndex, index.Content.Headers.ContentType?.MediaType);
        Assert.Equal(await File.ReadAllBytesAsync(_layout.BlobPath(image.Manifest.Digest)), manifest);
        Assert.Equal(HttpStatusCode.PartialContent, layer.StatusCode);
        Assert.Equal("layer", await layer.Content.ReadAsStringAsync());
    }

    [Fact]
    public void Load_Sha512Content_IsRegisteredUnderItsOwnDigest()
    {
        var image = _layout.Image("sha512", algorithm: "sha512");
        _layout.WriteIndexJson(image.Manifest.Tagged("strong"));

        _store.AddLayout(_layout.Root, Repository);

        Assert.Equal("sha512", _store.FindManifest(Repository, "strong")!.Digest.Algorithm);
        Assert.NotNull(_store.FindBlob(Repository, image.Layer.Digest));
    }

    [Fact]
    public void Load_MissingForeignLayer_IsSkipped()
    {
        var config = _layout.Blob("{}", MediaTypes.OciConfig);
        var foreign = new LayoutBuilder.Entry("application/vnd.oci.image.layer.nondistributable.v1.tar", Digest.Compute([9]), 1) { Urls = "https://example.com/layer" };
        var manifest = _layout.Blob(LayoutBuilder.ManifestJson(config, foreign), MediaTypes.OciManifest);
        _layout.WriteIndexJson(manifest.Tagged("win"));

        _store.AddLayout(_layout.Root, Repository);

        Assert.NotNull(_store.FindManifest(Repository, "win"));
        Assert.Null(_store.FindBlob(Repository, foreign.Digest));
    }

    [Fact]
    public void Load_EmptyIndex_ReturnsNoTags()
    {
        _layout.WriteIndexJson();

        Assert.Empty(_store.AddLayout(_layout.Root, Repository));
    }

    public static TheoryData<string> BrokenLayouts => new(Breakers.Keys);

    [Theory]
    [MemberData(nameof(BrokenLayouts))]
    public void Load_BrokenLayout_ThrowsOciLayoutExceptionAndAddsNothing(string breakage)
    {
        var image = _layout.Image("victim");
        _layout.WriteIndexJson(image.Manifest.Tagged("v1"));
        Breakers[breakage](_layout, image);

        var error = Assert.Throws<OciLayoutException>(() => _store.AddLayout(_layout.Root, Repository));

        Assert.Equal(Path.GetFullPath(_layout.Root), error.LayoutPath);
        Assert.False(string.IsNullOrWhiteSpace(error.Problem));
        Assert.StartsWith($"'{error.LayoutPath}' is not a usable OCI image layout: ", error.Message);
        Assert.Empty(_store.Repositories);
    }

    [Fact]
    public void Load_MissingFolder_ThrowsOciLayoutException()
    {
        var missing = Path.Combine(_layout.Root, "nothing-here");

        var error = Assert.Throws<OciLayoutException>(() => _store.AddLayout(missing, Repository));

        Assert.Contains("does not exist", error.Problem);
    }

    [Theory]
    [InlineData("", Repository)]
    [InlineData(".", "Not/Valid")]
    [InlineData(".", "")]
    public void Load_BadArguments_ThrowsArgumentException(string path, string repository)
    {
        Assert.Throws<ArgumentException>(() => _store.AddLayout(path, repository));
    }

    [Fact]
    public void Read_ReturnsWhatTheLayoutHolds_WithoutAnyStore()
    {
        var amd64 = _layout.Image("amd64");
        var index = _layout.Index(amd64.Manifest);
        _layout.WriteIndexJson(index.Tagged("1.0"));

        var content = OciLayoutReader.Read(_layout.Root);

        Assert.Equal(Path.GetFullPath(_layout.Root), content.Root);
        Assert.Equal([index.Digest, amd64.Manifest.Digest], content.Manifests.Select(m => m.Digest));
        Assert.Equal(
            [(amd64.Config.Digest, _layout.BlobPath(amd64.Config.Digest)), (amd64.Layer.Digest, _layout.BlobPath(amd64.Layer.Digest))],
            content.Blobs.Select(b => (b.Descriptor.Digest, b.Path)));
        Assert.Equal([new KeyValuePair<string, Digest>("1.0", index.Digest)], content.Tags);
    }

    private static readonly Dictionary<string, Action<LayoutBuilder, LayoutBuilder.LayoutImage>> Breakers = new()
    {
        ["oci-layout missing"] = (l, _) => File.Delete(Path.Combine(l.Root, "oci-layout")),
        ["oci-layout not JSON"] = (l, _) => File.WriteAllText(Path.Combine(l.Root, "oci-layout"), "imageLayoutVersion=1.0.0"),
        ["oci-layout other version"] = (l, _) => File.WriteAllText(Path.Combine(l.Root, "oci-layout"), """{"imageLayoutVersion":"2.0.0"}"""),
        ["oci-layout version not a string"] = (l, _) => File.WriteAllText(Path.Combine(l.Root, "oci-layout"), """{"imageLayoutVersion":1}"""),
        ["oci-layout an array"] = (l, _) => File.WriteAllText(Path.Combine(l.Root, "oci-layout"), "[]"),
        ["oci-layout huge"] = (l, _) => File.WriteAllText(Path.Combine(l.Root, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""" + new string(' ', 100_000)),
        ["index.json missing"] = (l, _) => File.Delete(Path.Combine(l.Root, "index.json")),
        ["index.json not JSON"] = (l, _) => File.WriteAllText(Path.Combine(l.Root, "index.json"), "{"),
        ["index.json a manifest"] = (l, i) => File.WriteAllText(Path.Combine(l.Root, "index.json"), LayoutBuilder.ManifestJson(i.Config, i.Layer)),
        ["index.json without manifests"] = (l, _) => File.WriteAllText(Path.Combine(l.Root, "index.json"), """{"schemaVersion":2}"""),
        ["index.json over 4 MiB"] = (l, i) => File.WriteAllText(Path.Combine(l.Root, "index.json"), LayoutBuilder.IndexJson([i.Manifest], false) + new string(' ', 4 * 1024 * 1024)),
        ["index.json digest climbing out"] = (l, i) => l.WriteIndexJson(i.Manifest with { DigestText = "sha256:../../../../etc/passwd" }),
        ["index.json digest absolute"] = (l, i) => l.WriteIndexJson(i.Manifest with { DigestText = "sha256:/etc/passwd" }),
        ["index.json unknown algorithm"] = (l, i) => l.WriteIndexJson(i.Manifest with { DigestText = "md5:d41d8cd98f00b204e9800998ecf8427e" }),
        ["manifest missing"] = (l, i) => File.Delete(l.BlobPath(i.Manifest.Digest)),
        ["manifest altered"] = (l, i) => File.WriteAllText(l.BlobPath(i.Manifest.Digest), File.ReadAllText(l.BlobPath(i.Manifest.Digest)).Replace("\"layers\"", "\"Layers\"")),
        ["manifest size wrong"] = (l, i) => l.WriteIndexJson(i.Manifest with { Size = i.Manifest.Size + 1 }),
        ["manifest not a manifest"] = (l, _) => l.WriteIndexJson(l.Blob("""{"schemaVersion":2}""", MediaTypes.OciManifest)),
        ["manifest schema 1"] = (l, _) => l.WriteIndexJson(l.Blob("""{"schemaVersion":1,"name":"x","tag":"y","fsLayers":[]}""", MediaTypes.OciManifest)),
        ["manifest over 4 MiB"] = (l, i) => l.WriteIndexJson(l.Blob(LayoutBuilder.ManifestJson(i.Config, i.Layer) + new string(' ', 4 * 1024 * 1024), MediaTypes.OciManifest)),
        ["manifest type disagrees"] = (l, i) => l.WriteIndexJson(i.Manifest with { MediaType = MediaTypes.OciIndex }),
        ["config missing"] = (l, i) => File.Delete(l.BlobPath(i.Config.Digest)),
        ["layer missing"] = (l, i) => File.Delete(l.BlobPath(i.Layer.Digest)),
        ["layer size wrong"] = (l, i) => File.AppendAllText(l.BlobPath(i.Layer.Digest), "more"),
        ["nested index child missing"] = (l, i) =>
        {
            var index = l.Index(i.Manifest);
            File.Delete(l.BlobPath(i.Manifest.Digest));
            l.WriteIndexJson(index.Tagged("1.0"));
        },
        ["indexes nested too deep"] = (l, i) =>
        {
            var entry = i.Manifest;
            for (var depth = 0; depth < 10; depth++)
            {
                entry = l.Index(entry);
            }

            l.WriteIndexJson(entry);
        },
    };
}
