using System;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using OciRegistry.Core.Client;
using OciRegistry.Core.Models;
using OciRegistry.Core.Push;
using OciRegistry.Core.References;
using OciRegistry.TestRegistry;

namespace OciRegistry.Core.Tests.Push;

/// <summary>Manifest PUT and DELETE against the test registry.</summary>
public sealed class ManifestPushTests
{
    [Fact]
    public async Task PutManifestAsync_ByTag_KeepsTheExactBytesAndDigest()
    {
        await using var registry = await PushRegistry.StartAsync();
        var repository = registry.Repository("team/app");
        var content = await PushImageAsync(registry, repository, "  ");

        var result = await registry.Client.PutManifestAsync(Reference.Create(repository.Registry, repository.Repository, "v1"), content, MediaTypes.OciManifest);

        var back = await registry.Client.GetManifestAsync(Reference.Create(repository.Registry, repository.Repository, "v1"));
        Assert.Equal(content, back.GetRawContent());
        Assert.Equal(Digest.Compute(content), result.Digest);
        Assert.Equal(result.Digest, back.Digest);
        Assert.False(result.SubjectIndexed);
    }

    [Fact]
    public async Task PutManifestAsync_ByWrongDigest_FailsBeforeSending()
    {
        await using var registry = await PushRegistry.StartAsync();
        var repository = registry.Repository("team/app");
        var content = await PushImageAsync(registry, repository, string.Empty);
        registry.Server.Requests.Clear();

        await Assert.ThrowsAsync<ContentVerificationException>(() =>
            registry.Client.PutManifestAsync(repository.AtDigest(Digest.Compute([1, 2, 3])), content, MediaTypes.OciManifest));

        Assert.Empty(registry.Log);
    }

    [Fact]
    public async Task PutManifestAsync_429WithRetryAfter_IsWaitedOut()
    {
        await using var registry = await PushRegistry.StartAsync();
        var repository = registry.Repository("team/app");
        var content = await PushImageAsync(registry, repository, string.Empty);
        registry.Server.Faults.Add(new FaultRule(FaultKind.Fail) { Method = "PUT", PathPattern = "*/manifests/*", StatusCode = 429, RetryAfter = TimeSpan.FromSeconds(2), Count = 1 });

        var result = await registry.Client.PutManifestAsync(repository.AtDigest(Digest.Compute(content)), content, MediaTypes.OciManifest);

        Assert.Equal(["PUT 429", "PUT 201"], registry.Log.Where(r => r.Path.Contains("/manifests/", StringComparison.Ordinal)).Select(r => $"{r.Method} {r.StatusCode}"));
        var retry = Assert.Single(registry.Trace, e => e.Kind == HttpTraceKind.Retry);
        Assert.True(retry.Delay >= TimeSpan.FromSeconds(2), $"waited {retry.Delay}");
        Assert.Equal(Digest.Compute(content), result.Digest);
    }

    [Fact]
    public async Task PutManifestAsync_WithSubject_NotesThatTheRegistryIndexedIt()
    {
        await using var registry = await PushRegistry.StartAsync();
        var repository = registry.Repository("team/app");
        var subject = await PushImageAsync(registry, repository, string.Empty);
        await registry.Client.PutManifestAsync(repository.AtDigest(Digest.Compute(subject)), subject, MediaTypes.OciManifest);
        var referrer = await PushImageAsync(registry, repository, string.Empty, (Digest.Compute(subject), subject.Length));

        var result = await registry.Client.PutManifestAsync(repository.AtDigest(Digest.Compute(referrer)), referrer, MediaTypes.OciManifest);

        Assert.True(result.SubjectIndexed);
    }

    [Fact]
    public async Task DeleteManifestAsync_ByDigest_RemovesIt()
    {
        await using var registry = await PushRegistry.StartAsync();
        var repository = registry.Repository("team/app");
        var content = await PushImageAsync(registry, repository, string.Empty);
        var pushed = await registry.Client.PutManifestAsync(Reference.Create(repository.Registry, repository.Repository, "v1"), content, MediaTypes.OciManifest);

        await registry.Client.DeleteManifestAsync(repository.AtDigest(pushed.Digest));

        Assert.False(await registry.Client.ManifestExistsAsync(repository.AtDigest(pushed.Digest)));
    }

    [Fact]
    public async Task DeleteManifestAsync_DeletesDisabled_FailsWith405()
    {
        await using var registry = await PushRegistry.StartAsync(new TestRegistryOptions { AllowDelete = false });
        var repository = registry.Repository("team/app");
        var content = await PushImageAsync(registry, repository, string.Empty);
        var pushed = await registry.Client.PutManifestAsync(Reference.Create(repository.Registry, repository.Repository, "v1"), content, MediaTypes.OciManifest);

        var error = await Assert.ThrowsAsync<RegistryResponseException>(() => registry.Client.DeleteManifestAsync(repository.AtDigest(pushed.Digest)));

        Assert.Equal(405, error.StatusCode);
        Assert.Contains(error.Errors, e => e.Code == "UNSUPPORTED");
        Assert.True(await registry.Client.ManifestExistsAsync(repository.AtDigest(pushed.Digest)));
    }

    [Fact]
    public async Task DeleteManifestAsync_ByTag_IsRefusedBeforeSending()
    {
        await using var registry = await PushRegistry.StartAsync();

        await Assert.ThrowsAsync<ArgumentException>(() =>
            registry.Client.DeleteManifestAsync(Reference.Create(registry.Server.Host, "team/app", "v1")));

        Assert.Empty(registry.Log);
    }

    /// <summary>Uploads a config and a layer and returns a manifest over them, its JSON indented with <paramref name="indent"/>.</summary>
    internal static async Task<byte[]> PushImageAsync(PushRegistry registry, Reference repository, string indent, (Digest Digest, long Size)? subject = null)
    {
        var config = Encoding.UTF8.GetBytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}");
        var layer = PushRegistry.RandomBytes(2000, subject is null ? 10 : 11);
        var uploader = new BlobUploader(registry.Client);
        await uploader.UploadAsync(repository, PushRegistry.Describe(config), PushRegistry.Source(config));
        await uploader.UploadAsync(repository, PushRegistry.Describe(layer), PushRegistry.Source(layer));
        var text = new StringBuilder()
            .Append('{').Append(indent).Append("\"schemaVersion\":2,").Append(indent)
            .Append($"\"mediaType\":\"{MediaTypes.OciManifest}\",")
            .Append(subject is null ? string.Empty : "\"artifactType\":\"application/vnd.example.sbom\",")
            .Append($"\"config\":{{\"mediaType\":\"{MediaTypes.OciConfig}\",\"digest\":\"{Digest.Compute(config)}\",\"size\":{config.Length}}},").Append(indent)
            .Append($"\"layers\":[{{\"mediaType\":\"{MediaTypes.OciLayerTar}\",\"digest\":\"{Digest.Compute(layer)}\",\"size\":{layer.Length}}}]")
            .Append(subject is { } s ? $",\"subject\":{{\"mediaType\":\"{MediaTypes.OciManifest}\",\"digest\":\"{s.Digest}\",\"size\":{s.Size}}}" : string.Empty)
            .Append(indent).Append('}');
        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
