using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using OciRegistry.Core.Client;
using OciRegistry.Core.Push;
using OciRegistry.Core.References;
using OciRegistry.Core.Transfer;
using OciRegistry.TestRegistry;

namespace OciRegistry.Core.Tests.Push;

/// <summary>Blob uploads against the real test registry: what the request log shows for each way a blob gets there.</summary>
public sealed class BlobUploaderTests
{
    private const int MiB = 1024 * 1024;

    [Fact]
    public async Task UploadAsync_BlobPresent_SendsOnlyAHead()
    {
        await using var registry = await PushRegistry.StartAsync();
        var repository = registry.Repository("team/app");
        var content = PushRegistry.RandomBytes(1000, 1);
        var uploader = new BlobUploader(registry.Client);
        await uploader.UploadAsync(repository, PushRegistry.Describe(content), PushRegistry.Source(content));
        registry.Server.Requests.Clear();

        var result = await uploader.UploadAsync(repository, PushRegistry.Describe(content), PushRegistry.Source(content));

        Assert.Equal(BlobUploadOutcome.Skipped, result.Outcome);
        Assert.Equal(0, result.BytesUploaded);
        Assert.Equal(["HEAD"], registry.Log.Select(r => r.Method));
    }

    [Fact]
    public async Task UploadAsync_SmallBlob_PostThenOnePut()
    {
        await using var registry = await PushRegistry.StartAsync();
        var repository = registry.Repository("team/app");
        var content = PushRegistry.RandomBytes(100_000, 2);

        var result = await new BlobUploader(registry.Client).UploadAsync(repository, PushRegistry.Describe(content), PushRegistry.Source(content));

        Assert.Equal((BlobUploadOutcome.Uploaded, 100_000L, 0), (result.Outcome, result.BytesUploaded, result.Resumes));
        Assert.Equal(["HEAD 404", "POST 202", "PUT 201"], registry.Log.Select(r => $"{r.Method} {r.StatusCode}"));
        Assert.Contains("digest=", registry.Log[^1].Query, StringComparison.Ordinal);
        Assert.Equal(content, await registry.Client.ReadBlobAsync(repository, result.Digest));
    }

    [Fact]
    public async Task UploadAsync_LargeBlob_SendsChunksInOrder()
    {
        await using var registry = await PushRegistry.StartAsync();
        var repository = registry.Repository("team/app");
        var content = PushRegistry.RandomBytes(40 * MiB, 3);
        var opens = new List<long>();

        var result = await new BlobUploader(registry.Client, new UploadOptions { ChunkSize = 16 * MiB })
            .UploadAsync(repository, PushRegistry.Describe(content), PushRegistry.Source(content, opens));

        Assert.Equal((BlobUploadOutcome.Uploaded, 40L * MiB, 0), (result.Outcome, result.BytesUploaded, result.Resumes));
        var patches = registry.Log.Where(r => r.Method == "PATCH").ToList();
        Assert.Equal(["0-16777215", "16777216-33554431", "33554432-41943039"], patches.Select(p => p.ContentRange));
        Assert.All(patches, p => Assert.Equal(202, p.StatusCode));
        Assert.Equal(("PUT", 201), (registry.Log[^1].Method, registry.Log[^1].StatusCode));
        Assert.Equal([0L], opens);
        Assert.True(await registry.Client.BlobExistsAsync(repository, result.Digest));
        Assert.Equal(40L * MiB, await registry.Client.GetBlobSizeAsync(repository, result.Digest));
    }

    [Fact]
    public async Task UploadAsync_ChunkFailsMidUpload_AsksWhereTheUploadStandsAndGoesOnFromThere()
    {
        await using var registry = await PushRegistry.StartAsync();
        var repository = registry.Repository("team/app");
        var content = PushRegistry.RandomBytes(40 * MiB, 4);
        var faulted = false;
        var progress = new InlineProgress(p =>
        {
            // Once the first chunk is in, the next PATCH fails.
            if (p.State == TransferState.Uploading && !faulted)
            {
                faulted = true;
                registry.Server.Faults.Add(new FaultRule(FaultKind.Fail) { Method = "PATCH", StatusCode = 503, Count = 1 });
            }
        });

        var result = await new BlobUploader(registry.Client, new UploadOptions { ChunkSize = 16 * MiB })
            .UploadAsync(repository, PushRegistry.Describe(content), PushRegistry.Source(content), progress: progress);

        Assert.Equal((BlobUploadOutcome.Uploaded, 1), (result.Outcome, result.Resumes));
        Assert.True(result.BytesUploaded < 2L * content.Length, $"{result.BytesUploaded} bytes sent");
        var log = registry.Log.Where(r => r.Method is "PATCH" or "GET").Select(r => $"{r.Method} {r.StatusCode} {r.ContentRange}").ToList();
        Assert.Equal(
            ["PATCH 202 0-16777215", "PATCH 503 16777216-33554431", "GET 204 ", "PATCH 202 16777216-33554431", "PATCH 202 33554432-41943039"],
            log);
        Assert.Equal(content, await registry.Client.ReadBlobAsync(repository, result.Digest, 64 * MiB));
    }

    [Fact]
    public async Task UploadAsync_ConnectionResetMidChunk_GoesOnFromTheBytesTheRegistryKept()
    {
        await using var registry = await PushRegistry.StartAsync();
        var repository = registry.Repository("team/app");
        var content = PushRegistry.RandomBytes(40 * MiB, 5);
        var opens = new List<long>();
        registry.Server.Faults.Add(new FaultRule(FaultKind.CutUpload) { Method = "PATCH", Offset = 20 * MiB, Count = 1 });

        var result = await new BlobUploader(registry.Client, new UploadOptions { ChunkSize = 16 * MiB })
            .UploadAsync(repository, PushRegistry.Describe(content), PushRegistry.Source(content, opens));

        Assert.Equal((BlobUploadOutcome.Uploaded, 1), (result.Outcome, result.Resumes));
        var log = registry.Log.Where(r => r.Method is "PATCH" or "GET").Select(r => $"{r.Method} {(r.Aborted ? "aborted" : r.StatusCode.ToString())} {r.ContentRange}").ToList();
        Assert.Equal(
            ["PATCH 202 0-16777215", "PATCH aborted 16777216-33554431", "GET 204 ", "PATCH 202 20971520-37748735", "PATCH 202 37748736-41943039"],
            log);
        Assert.Equal([0L, 20L * MiB], opens);
        Assert.Equal(content, await registry.Client.ReadBlobAsync(repository, result.Digest, 64 * MiB));
    }

    [Fact]
    public async Task UploadAsync_MountFromAnotherRepository_NeedsNoUpload()
    {
        await using var registry = await PushRegistry.StartAsync();
        var content = PushRegistry.RandomBytes(20 * MiB, 5);
        var uploader = new BlobUploader(registry.Client);
        await uploader.UploadAsync(registry.Repository("team/source"), PushRegistry.Describe(content), PushRegistry.Source(content));
        registry.Server.Requests.Clear();

        var result = await uploader.UploadAsync(registry.Repository("team/copy"), PushRegistry.Describe(content), PushRegistry.Source(content), mountFrom: "team/source");

        Assert.Equal((BlobUploadOutcome.Mounted, 0L), (result.Outcome, result.BytesUploaded));
        var post = Assert.Single(registry.Log, r => r.Method == "POST");
        Assert.Equal(201, post.StatusCode);
        Assert.Contains("mount=", post.Query, StringComparison.Ordinal);
        Assert.Contains("from=team%2Fsource", post.Query, StringComparison.Ordinal);
        Assert.DoesNotContain(registry.Log, r => r.Method is "PATCH" or "PUT");
        Assert.True(await registry.Client.BlobExistsAsync(registry.Repository("team/copy"), result.Digest));
    }

    [Fact]
    public async Task UploadAsync_MountRefusedWith202_UploadsIntoTheSessionItOpened()
    {
        await using var registry = await PushRegistry.StartAsync();
        var content = PushRegistry.RandomBytes(1000, 6);

        // The source repository does not have the blob: the registry opens a session instead (202).
        var result = await new BlobUploader(registry.Client).UploadAsync(
            registry.Repository("team/copy"), PushRegistry.Describe(content), PushRegistry.Source(content), mountFrom: "team/elsewhere");

        Assert.Equal(BlobUploadOutcome.Uploaded, result.Outcome);
        Assert.Equal(["HEAD 404", "POST 202", "PUT 201"], registry.Log.Select(r => $"{r.Method} {r.StatusCode}"));
        Assert.Contains("mount=", registry.Log[1].Query, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(12 * MiB)]
    public async Task UploadAsync_BytesOfAnotherDigest_FailWithTheRegistrysDigestInvalid(int size)
    {
        await using var registry = await PushRegistry.StartAsync();
        var content = PushRegistry.RandomBytes(size, 7);
        var claimed = PushRegistry.Describe(PushRegistry.RandomBytes(size, 8));

        var error = await Assert.ThrowsAsync<RegistryResponseException>(() =>
            new BlobUploader(registry.Client, new UploadOptions { ChunkSize = 5 * MiB }).UploadAsync(registry.Repository("team/app"), claimed, PushRegistry.Source(content)));

        Assert.Equal(400, error.StatusCode);
        Assert.Contains(error.Errors, e => e.Code == "DIGEST_INVALID");
        Assert.False(await registry.Client.BlobExistsAsync(registry.Repository("team/app"), claimed.Digest));
    }

    [Fact]
    public async Task UploadAsync_SourceShorterThanItsDescriptor_FailsBeforeCommitting()
    {
        await using var registry = await PushRegistry.StartAsync();
        var content = PushRegistry.RandomBytes(1000, 9);
        var claimed = PushRegistry.Describe(content) with { Size = 2000 };

        await Assert.ThrowsAsync<ContentVerificationException>(() =>
            new BlobUploader(registry.Client).UploadAsync(registry.Repository("team/app"), claimed, PushRegistry.Source(content)));
    }

    [Theory]
    [InlineData(4L * MiB)]
    [InlineData(512L * MiB)]
    public void Constructor_ChunkSizeOutsideWhatRegistriesTake_IsRefused(long chunkSize)
    {
        using var client = new RegistryClient("localhost:5000", new ClientOptions { UseDockerConfig = false });

        Assert.Throws<ArgumentOutOfRangeException>(() => new BlobUploader(client, new UploadOptions { ChunkSize = chunkSize }));
    }
}
