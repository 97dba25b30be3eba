using System;
using System.IO;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.Client;
using OciRegistry.Core.References;
using OciRegistry.TestRegistry;
using OciRegistry.Core.Tests.Support;
using OciRegistry.Core.Tests.TestRegistry;
using OciRegistry.Core.Transfer;

namespace OciRegistry.Core.Tests.Transfer;

/// <summary>The downloader against a real test registry: what stays on disk when a transfer is interrupted.</summary>
public sealed class BlobDownloaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ociregistry-download-").FullName;

    [Fact]
    public async Task DownloadAsync_CancelledMidBuffer_KeepsEveryByteReceivedAndResumesFromThem()
    {
        // The body stalls at 100 KiB: far less than one 1 MiB buffer.
        await using var registry = await RegistryUnderTest.StartAsync(null, new FaultRule(FaultKind.Stall) { Offset = 100 * 1024, Count = 1 });
        using var client = new RegistryClient(registry.Server.Host, new ClientOptions { UseDockerConfig = false });
        var repository = Reference.ParseRepository($"{registry.Server.Host}/{RegistryUnderTest.Repository}");
        var target = Path.Combine(_folder, "blob");
        using var cancel = new CancellationTokenSource();
        var download = new BlobDownloader(client).DownloadAsync(repository, registry.BlobDigest, registry.Blob.Length, target, cancellationToken: cancel.Token);
        await Eventually.TrueAsync(() => registry.RequestsFor(registry.BlobPath).Length == 1);
        await Task.Delay(300);
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => download);

        Assert.False(File.Exists(target));
        Assert.Equal(100 * 1024, new FileInfo(target + ".partial").Length);
        using (var sidecar = JsonDocument.Parse(File.ReadAllBytes(target + ".partial.json")))
        {
            Assert.Equal(registry.BlobDigest.ToString(), sidecar.RootElement.GetProperty("digest").GetString());
        }

        var resumed = await new BlobDownloader(client).DownloadAsync(repository, registry.BlobDigest, registry.Blob.Length, target);

        Assert.Equal(100 * 1024, resumed.ResumedFrom);
        Assert.Equal(registry.Blob.Length - (100 * 1024), resumed.BytesDownloaded);
        Assert.Equal(registry.Blob, File.ReadAllBytes(target));
        Assert.Equal($"bytes={100 * 1024}-", registry.RequestsFor(registry.BlobPath)[^1].Range);
        Assert.False(File.Exists(target + ".partial"));
        Assert.False(File.Exists(target + ".partial.json"));
    }

    [Fact]
    public async Task DownloadAsync_RegistryIgnoresRange_SkipsTheBytesItHasAndStillVerifies()
    {
        await using var registry = await RegistryUnderTest.StartAsync(
            null,
            new FaultRule(FaultKind.CutBody) { Offset = 64 * 1024, Count = 1 },
            new FaultRule(FaultKind.IgnoreRange));
        using var client = new RegistryClient(registry.Server.Host, new ClientOptions { UseDockerConfig = false });
        var repository = Reference.ParseRepository($"{registry.Server.Host}/{RegistryUnderTest.Repository}");
        var target = Path.Combine(_folder, "blob");

        var result = await new BlobDownloader(client).DownloadAsync(repository, registry.BlobDigest, registry.Blob.Length, target);

        Assert.Equal(2, result.Attempts);
        Assert.Equal(registry.Blob, File.ReadAllBytes(target));
        var requests = registry.RequestsFor(registry.BlobPath);
        Assert.Equal(("bytes=65536-", 200), (requests[^1].Range, requests[^1].StatusCode));
    }

    [Fact]
    public async Task DownloadAsync_FileAlreadyThere_IsRehashedNotRefetched()
    {
        await using var registry = await RegistryUnderTest.StartAsync();
        using var client = new RegistryClient(registry.Server.Host, new ClientOptions { UseDockerConfig = false });
        var repository = Reference.ParseRepository($"{registry.Server.Host}/{RegistryUnderTest.Repository}");
        var target = Path.Combine(_folder, "blob");
        File.WriteAllBytes(target, registry.Blob);

        var result = await new BlobDownloader(client).DownloadAsync(repository, registry.BlobDigest, registry.Blob.Length, target);

        Assert.True(result.AlreadyPresent);
        Assert.Empty(registry.RequestsFor(registry.BlobPath));
    }

    [Fact]
    public async Task DownloadAsync_SameSizeDifferentContent_IsNotTrustedBySize()
    {
        await using var registry = await RegistryUnderTest.StartAsync();
        using var client = new RegistryClient(registry.Server.Host, new ClientOptions { UseDockerConfig = false });
        var repository = Reference.ParseRepository($"{registry.Server.Host}/{RegistryUnderTest.Repository}");
        var target = Path.Combine(_folder, "blob");
        File.WriteAllBytes(target, new byte[registry.Blob.Length]);

        await Assert.ThrowsAsync<TargetExistsException>(() => new BlobDownloader(client).DownloadAsync(repository, registry.BlobDigest, registry.Blob.Length, target));
        var replaced = await new BlobDownloader(client).DownloadAsync(repository, registry.BlobDigest, registry.Blob.Length, target, overwrite: true);

        Assert.False(replaced.AlreadyPresent);
        Assert.Equal(registry.Blob, File.ReadAllBytes(target));
    }

    [Fact]
    public async Task DownloadAsync_RegistryAsksToWait_ReportsTheWaitForThatBlob()
    {
        // A 503 before the first byte: the client's retry policy waits, and the progress of this blob says so.
        await using var registry = await RegistryUnderTest.StartAsync(null, new FaultRule(FaultKind.Fail) { PathPattern = "*/blobs/*", Method = "GET", Count = 1 });
        using var client = new RegistryClient(registry.Server.Host, FastRetries());
        var repository = Reference.ParseRepository($"{registry.Server.Host}/{RegistryUnderTest.Repository}");
        var progress = new Recorded();

        await new BlobDownloader(client).DownloadAsync(repository, registry.BlobDigest, registry.Blob.Length, Path.Combine(_folder, "blob"), progress: progress);

        var wait = Assert.Single(progress.Reports, p => p.State == TransferState.Waiting);
        Assert.Equal(registry.BlobDigest, wait.Digest);
        Assert.Equal(registry.Blob.Length, wait.TotalBytes);
        Assert.NotNull(wait.Wait);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    public async Task DownloadAsync_SizeDisagreesWithTheDescriptor_FailsAtOnceNamingBothSizes(int off)
    {
        await using var registry = await RegistryUnderTest.StartAsync();
        using var client = new RegistryClient(registry.Server.Host, FastRetries());
        var repository = Reference.ParseRepository($"{registry.Server.Host}/{RegistryUnderTest.Repository}");
        var declared = registry.Blob.Length + off;

        var e = await Assert.ThrowsAsync<ContentVerificationException>(() =>
            new BlobDownloader(client).DownloadAsync(repository, registry.BlobDigest, declared, Path.Combine(_folder, "blob")));

        Assert.Contains(declared.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message);
        Assert.Contains(registry.Blob.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message);
        Assert.Single(registry.RequestsFor(registry.BlobPath));
        Assert.Empty(Directory.GetFileSystemEntries(_folder));
    }

    [Theory]
    [InlineData(403)]
    [InlineData(404)]
    public async Task DownloadAsync_RefusedAtTheFirstRequest_LeavesNothingBehind(int status)
    {
        await using var registry = await RegistryUnderTest.StartAsync(null, new FaultRule(FaultKind.Fail) { PathPattern = "*/blobs/*", StatusCode = status });
        using var client = new RegistryClient(registry.Server.Host, FastRetries());
        var repository = Reference.ParseRepository($"{registry.Server.Host}/{RegistryUnderTest.Repository}");

        await Assert.ThrowsAsync<RegistryResponseException>(() =>
            new BlobDownloader(client).DownloadAsync(repository, registry.BlobDigest, registry.Blob.Length, Path.Combine(_folder, "blob")));

        Assert.Empty(Directory.GetFileSystemEntries(_folder));
    }

    private static ClientOptions FastRetries() => new()
    {
        UseDockerConfig = false,
        Retry = new RetryOptions { BaseDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(20) },
    };

    /// <summary>Keeps every report, synchronously (Progress&lt;T&gt; would post them later, to the thread pool).</summary>
    private sealed class Recorded : IProgress<TransferProgress>
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<TransferProgress> _reports = new();

        public TransferProgress[] Reports => [.. _reports];

        public void Report(TransferProgress value) => _reports.Enqueue(value);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
