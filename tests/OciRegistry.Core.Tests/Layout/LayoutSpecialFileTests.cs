using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using OciRegistry.Core.Layout;
using OciRegistry.Core.Models;
using OciRegistry.TestRegistry;
using OciRegistry.Core.Tests.Support;

namespace OciRegistry.Core.Tests.Layout;

/// <summary>
/// A layout is read, not followed: its entries must be regular files inside it. Each case plants what a hostile
/// layout would hold (links made with the system's calls and tools, FIFOs with mkfifo) and expects a refusal at
/// load that names the entry, within seconds, with nothing added to the store.
/// </summary>
public sealed class LayoutSpecialFileTests : IDisposable
{
    private const string Repository = "fixtures/hostile";

    private readonly LayoutBuilder _layout = new();
    private readonly ContentStore _store = new();
    private readonly string _outside = Path.Combine(Path.GetTempPath(), "ociregistry-outside-" + Guid.NewGuid().ToString("N"));

    public LayoutSpecialFileTests() => Directory.CreateDirectory(_outside);

    public void Dispose()
    {
        _layout.Dispose();
        Directory.Delete(_outside, recursive: true);
    }

    public static TheoryData<string> Plantings => new(Planters.Keys);

    [UnixTheory]
    [MemberData(nameof(Plantings))]
    public void Load_EntryThatIsNotARegularFileInTheLayout_IsRefusedNamingIt(string planting)
    {
        var image = _layout.Image("victim");
        _layout.WriteIndexJson(image.Manifest.Tagged("v1"));
        var (entry, words) = Planters[planting](this, image);
        var clock = Stopwatch.StartNew();

        var error = Assert.Throws<OciLayoutException>(() => _store.AddLayout(_layout.Root, Repository));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Contains(entry, error.Problem, StringComparison.Ordinal);
        Assert.Contains(words, error.Problem, StringComparison.Ordinal);
        Assert.Empty(_store.Repositories);
    }

    [UnixFact]
    public async Task StartWithLayout_LayerSymlinkedToASecretOutside_NeverServesTheSecret()
    {
        var secret = Encoding.UTF8.GetBytes("root:$6$not-for-you:19000:0:99999:7:::\n" + new string('x', 400));
        var secretPath = Path.Combine(_outside, "shadow");
        File.WriteAllBytes(secretPath, secret);
        var image = _layout.Image("victim");

        // The attack as found: the layer file is a link to the secret, and its descriptor gives the size of the link
        // itself (the length of the path it holds, which is what a size check that does not follow links measures)
        // and the digest of that many bytes of the secret.
        var served = secret.AsSpan(0, Encoding.UTF8.GetByteCount(secretPath)).ToArray();
        var layer = _layout.Blob(served, MediaTypes.OciLayerTar);
        File.Delete(_layout.BlobPath(layer.Digest));
        File.CreateSymbolicLink(_layout.BlobPath(layer.Digest), secretPath);
        var manifest = _layout.Blob(LayoutBuilder.ManifestJson(image.Config, layer), MediaTypes.OciManifest);
        _layout.WriteIndexJson(manifest.Tagged("v1"));
        using var server = await TestRegistryServer.StartAsync();

        var error = Record.Exception(() => server.Content.AddLayout(_layout.Root, Repository));
        using var client = new HttpClient { BaseAddress = server.Url };
        using var response = await client.GetAsync($"v2/{Repository}/blobs/{layer.Digest}");
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.DoesNotContain("not-for-you", Encoding.UTF8.GetString(body), StringComparison.Ordinal);
        Assert.False(response.IsSuccessStatusCode, $"the registry answered {(int)response.StatusCode}");
        Assert.IsType<OciLayoutException>(error);
    }

    private static readonly Dictionary<string, Func<LayoutSpecialFileTests, LayoutBuilder.LayoutImage, (string Entry, string Words)>> Planters = new()
    {
        ["layer: symbolic link to a file outside"] = (t, image) => (t.LinkOut(image.Layer), "symbolic link"),
        ["layer: symbolic link inside the layout"] = (t, image) =>
        {
            var path = t._layout.BlobPath(image.Layer.Digest);
            File.Move(path, path + ".real");
            File.CreateSymbolicLink(path, path + ".real");
            return (image.Layer.Digest.ToString(), "symbolic link");
        },
        ["layer: hard link to a file outside"] = (t, image) =>
        {
            var path = t._layout.BlobPath(image.Layer.Digest);
            var outside = Path.Combine(t._outside, "hard");
            File.Copy(path, outside);
            File.Delete(path);
            UnixTools.HardLink(outside, path);
            return (image.Layer.Digest.ToString(), "hard links");
        },
        ["layer: FIFO"] = (t, image) => (t.Fifo(image.Layer), "FIFO"),
        ["layer: directory"] = (t, image) =>
        {
            var path = t._layout.BlobPath(image.Layer.Digest);
            File.Delete(path);
            Directory.CreateDirectory(path);
            return (image.Layer.Digest.ToString(), "directory");
        },
        ["config: symbolic link to a file outside"] = (t, image) => (t.LinkOut(image.Config), "symbolic link"),
        ["config: symbolic link to /dev/zero"] = (t, image) =>
        {
            var path = t._layout.BlobPath(image.Config.Digest);
            File.Delete(path);
            File.CreateSymbolicLink(path, "/dev/zero");
            return (image.Config.Digest.ToString(), "symbolic link");
        },
        ["manifest: symbolic link to a copy outside"] = (t, image) => (t.LinkOut(image.Manifest), "symbolic link"),
        ["manifest: FIFO"] = (t, image) => (t.Fifo(image.Manifest), "FIFO"),
        ["blobs/sha256: symbolic link to a folder outside"] = (t, _) =>
        {
            var folder = Path.Combine(t._layout.Root, "blobs", "sha256");
            var moved = Path.Combine(t._outside, "sha256");
            Directory.Move(folder, moved);
            Directory.CreateSymbolicLink(folder, moved);
            return ("blobs/sha256", "symbolic link");
        },
        ["blobs: symbolic link to a folder outside"] = (t, _) =>
        {
            var folder = Path.Combine(t._layout.Root, "blobs");
            var moved = Path.Combine(t._outside, "blobs");
            Directory.Move(folder, moved);
            Directory.CreateSymbolicLink(folder, moved);
            return ("'blobs'", "symbolic link");
        },
        ["index.json: symbolic link to a file outside"] = (t, _) => (t.LinkOutFile("index.json"), "symbolic link"),
        ["index.json: symbolic link to /dev/zero"] = (t, _) =>
        {
            var path = Path.Combine(t._layout.Root, "index.json");
            File.Delete(path);
            File.CreateSymbolicLink(path, "/dev/zero");
            return ("index.json", "symbolic link");
        },
        ["index.json: FIFO"] = (t, _) =>
        {
            var path = Path.Combine(t._layout.Root, "index.json");
            File.Delete(path);
            UnixTools.MakeFifo(path);
            return ("index.json", "FIFO");
        },
        ["oci-layout: symbolic link to a file outside"] = (t, _) => (t.LinkOutFile("oci-layout"), "symbolic link"),
        ["oci-layout: FIFO"] = (t, _) =>
        {
            var path = Path.Combine(t._layout.Root, "oci-layout");
            File.Delete(path);
            UnixTools.MakeFifo(path);
            return ("oci-layout", "FIFO");
        },
    };

    // Moves the blob's file outside the layout and leaves a symbolic link to it in its place.
    private string LinkOut(LayoutBuilder.Entry entry)
    {
        var path = _layout.BlobPath(entry.Digest);
        var outside = Path.Combine(_outside, entry.Digest.Encoded);
        File.Move(path, outside);
        File.CreateSymbolicLink(path, outside);
        return entry.Digest.ToString();
    }

    private string LinkOutFile(string name)
    {
        var path = Path.Combine(_layout.Root, name);
        var outside = Path.Combine(_outside, name);
        File.Move(path, outside);
        File.CreateSymbolicLink(path, outside);
        return name;
    }

    private string Fifo(LayoutBuilder.Entry entry)
    {
        var path = _layout.BlobPath(entry.Digest);
        File.Delete(path);
        UnixTools.MakeFifo(path);
        return entry.Digest.ToString();
    }
}
