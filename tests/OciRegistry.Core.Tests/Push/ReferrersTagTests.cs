using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using OciRegistry.Core.Models;
using OciRegistry.Core.Push;
using OciRegistry.Core.References;
using OciRegistry.TestRegistry;

namespace OciRegistry.Core.Tests.Push;

/// <summary>The referrers tag schema, written for a registry without the referrers API.</summary>
public sealed class ReferrersTagTests
{
    private static readonly Digest Subject = Digest.Compute([1, 2, 3]);

    [Fact]
    public void For_Sha256_IsAlgorithmDashHex()
    {
        Assert.Equal("sha256-" + Subject.Encoded, ReferrersTag.For(Subject));
    }

    [Fact]
    public async Task AddToReferrersTagAsync_NoTagYet_CreatesTheIndexThenAppendsToIt()
    {
        await using var registry = await PushRegistry.StartAsync(new TestRegistryOptions { ReferrersApi = false });
        var repository = registry.Repository("team/app");
        var first = Referrer(10, "application/vnd.example.sbom", new Dictionary<string, string> { ["org.example.kind"] = "sbom" });
        var second = Referrer(20, "application/vnd.example.signature", new Dictionary<string, string>());

        await registry.Client.AddToReferrersTagAsync(repository, Subject, first);
        await registry.Client.AddToReferrersTagAsync(repository, Subject, second);
        await registry.Client.AddToReferrersTagAsync(repository, Subject, first);

        var index = Assert.IsType<ImageIndex>(await registry.Client.GetManifestAsync(Reference.Create(repository.Registry, repository.Repository, ReferrersTag.For(Subject))));
        Assert.Equal(MediaTypes.OciIndex, index.MediaType);
        Assert.Equal([first.Digest, second.Digest], index.Manifests.Select(m => m.Digest));
        Assert.Equal("application/vnd.example.sbom", index.Manifests[0].ArtifactType);
        Assert.Equal("sbom", index.Manifests[0].Annotations["org.example.kind"]);
        var listed = new List<Descriptor>();
        await foreach (var referrer in registry.Client.ListReferrersAsync(repository.AtDigest(Subject)))
        {
            listed.Add(referrer);
        }

        Assert.Equal([first.Digest, second.Digest], listed.Select(d => d.Digest));
    }

    [Fact]
    public async Task AddToReferrersTagAsync_ExistingIndex_KeepsWhatItHeld()
    {
        await using var registry = await PushRegistry.StartAsync(new TestRegistryOptions { ReferrersApi = false });
        var repository = registry.Repository("team/app");
        var tag = Reference.Create(repository.Registry, repository.Repository, ReferrersTag.For(Subject));
        var kept = Referrer(30, "application/vnd.example.a", new Dictionary<string, string>());
        var existing = System.Text.Encoding.UTF8.GetBytes(
            $"{{\"schemaVersion\":2,\"mediaType\":\"{MediaTypes.OciIndex}\",\"manifests\":[{{\"mediaType\":\"{kept.MediaType}\",\"digest\":\"{kept.Digest}\",\"size\":{kept.Size},\"x-unknown\":true}}],\"annotations\":{{\"org.example.keep\":\"yes\"}}}}");
        await registry.Client.PutManifestAsync(tag, existing, MediaTypes.OciIndex);
        var added = Referrer(40, "application/vnd.example.b", new Dictionary<string, string>());

        await registry.Client.AddToReferrersTagAsync(repository, Subject, added);

        var back = (await registry.Client.GetManifestAsync(tag)).GetRawContent();
        using var json = JsonDocument.Parse(back);
        var manifests = json.RootElement.GetProperty("manifests");
        Assert.Equal(2, manifests.GetArrayLength());
        Assert.True(manifests[0].GetProperty("x-unknown").GetBoolean());
        Assert.Equal(added.Digest.ToString(), manifests[1].GetProperty("digest").GetString());
        Assert.Equal("yes", json.RootElement.GetProperty("annotations").GetProperty("org.example.keep").GetString());
    }

    private static Descriptor Referrer(byte seed, string artifactType, IReadOnlyDictionary<string, string> annotations) => new()
    {
        MediaType = MediaTypes.OciManifest,
        Digest = Digest.Compute([seed]),
        Size = 100 + seed,
        ArtifactType = artifactType,
        Annotations = annotations,
    };
}
