using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;
using OciRegistry.TestRegistry;

namespace OciRegistry.Core.Tests.TestRegistry;

/// <summary>
/// One running registry per test class: the sample content plus small fixtures for the edge cases
/// (a memory blob, a file blob larger than a write chunk, a repository with many tags, one with only blobs).
/// </summary>
public sealed class RegistryFixture : IAsyncLifetime
{
    public const string Repository = "a/b/c";
    public const string TaggedRepository = "many/tags";
    public const string BlobOnlyRepository = "only/blobs";
    public const string OtherRepository = "other";

    /// <summary>Tags of <see cref="TaggedRepository"/>, in ordinal order.</summary>
    public static readonly string[] Tags = ["1.0", "A", "_x", "a", "b", "c", "d", "e", "latest", "v1.0-rc"];

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ociregistry-tests-" + Guid.NewGuid().ToString("N"));

    public TestRegistryServer Server { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public byte[] SmallBlob { get; } = Encoding.ASCII.GetBytes("0123456789");

    public Digest SmallDigest { get; private set; } = null!;

    /// <summary>300 KiB, so a response spans several 128 KiB writes.</summary>
    public byte[] FileBlob { get; } = Pattern(300 * 1024);

    public Digest FileDigest { get; private set; } = null!;

    public byte[] Manifest { get; private set; } = null!;

    public Digest ManifestDigest { get; private set; } = null!;

    /// <summary>A blob that only <see cref="OtherRepository"/> holds.</summary>
    public Digest OtherDigest { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        // Read-only, as the registry was before it took pushes: these classes check the pull side and the 405s.
        Server = await TestRegistryServer.StartAsync(new TestRegistryOptions { ReadOnly = true });
        var content = Server.Content;
        SampleContent.AddTo(content);

        SmallDigest = content.AddBlob(Repository, SmallBlob);
        FileDigest = Digest.Compute(FileBlob);
        var path = Path.Combine(_directory, "blob");
        await File.WriteAllBytesAsync(path, FileBlob);
        content.AddBlobFile(Repository, FileDigest, FileBlob.Length, path);
        Manifest = ManifestBytes(SmallDigest, SmallBlob.Length, FileDigest, FileBlob.Length);
        ManifestDigest = content.AddManifest(Repository, Manifest, MediaTypes.OciManifest, "v1");

        var tagged = ManifestBytes(SmallDigest, SmallBlob.Length, SmallDigest, SmallBlob.Length);
        var taggedDigest = content.AddManifest(TaggedRepository, tagged, MediaTypes.OciManifest);
        foreach (var tag in Tags)
        {
            content.SetTag(TaggedRepository, tag, taggedDigest);
        }

        content.AddBlob(BlobOnlyRepository, SmallBlob);
        OtherDigest = content.AddBlob(OtherRepository, Encoding.ASCII.GetBytes("only in other"));
        Client = new HttpClient { BaseAddress = Server.Url, Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Server.StopAsync();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Bytes 0, 1, …, 250, 0, 1, …: a pattern in which every slice is recognisable.</summary>
    public static byte[] Pattern(int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = (byte)(i % 251);
        }

        return bytes;
    }

    public static byte[] ManifestBytes(Digest config, long configSize, Digest layer, long layerSize) => Encoding.UTF8.GetBytes(
        $$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}","config":{"mediaType":"{{MediaTypes.OciConfig}}","digest":"{{config}}","size":{{configSize}}},"layers":[{"mediaType":"{{MediaTypes.OciLayerTar}}","digest":"{{layer}}","size":{{layerSize}}}]}""");
}
