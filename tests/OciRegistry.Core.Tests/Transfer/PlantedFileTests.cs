using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.Client;
using OciRegistry.Core.LocalFiles;
using OciRegistry.Core.References;
using OciRegistry.TestRegistry;
using OciRegistry.Core.Tests.Support;
using OciRegistry.Core.Tests.TestRegistry;
using OciRegistry.Core.Transfer;

namespace OciRegistry.Core.Tests.Transfer;

/// <summary>
/// A destination someone else prepared: links, hard links and special files planted where a download keeps its
/// target, partial file and sidecar. Nothing outside the destination may change, and nothing may hang.
/// </summary>
public sealed class PlantedFileTests : IAsyncLifetime
{
    private static readonly DateTime Planted = new(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc);
    private readonly string _folder = Directory.CreateTempSubdirectory("ociregistry-planted-").FullName;
    private readonly string _outsideFolder = Directory.CreateTempSubdirectory("ociregistry-outside-").FullName;
    private RegistryUnderTest _registry = null!;
    private RegistryClient _client = null!;
    private Reference _repository = null!;

    private string Target => Path.Combine(_folder, "blob");

    public async Task InitializeAsync()
    {
        _registry = await RegistryUnderTest.StartAsync();
        _client = new RegistryClient(_registry.Server.Host, new ClientOptions { UseDockerConfig = false });
        _repository = Reference.ParseRepository($"{_registry.Server.Host}/{RegistryUnderTest.Repository}");
    }

    [UnixFact]
    public async Task DownloadAsync_PartialIsSymlinkOutsideWithMatchingSidecar_RefusesAndLeavesTheOutsideFileAlone()
    {
        // The outside file holds the blob's first bytes, so a resume would "verify" and report success.
        var outside = PlantOutside("victim", _registry.Blob.Take(1000).ToArray());
        File.CreateSymbolicLink(Target + ".partial", outside);
        WriteSidecar(_registry.BlobDigest, _registry.Blob.Length);

        await Assert.ThrowsAsync<FileLinkRefusedException>(Download);

        AssertUntouched(outside, _registry.Blob.Take(1000).ToArray());
        Assert.False(File.Exists(Target));
        Assert.Empty(_registry.RequestsFor(_registry.BlobPath));
    }

    [UnixFact]
    public async Task DownloadAsync_PartialIsSymlinkOutsideWithoutSidecar_LeavesTheOutsideFileAlone()
    {
        var outside = PlantOutside("victim", "keep me"u8.ToArray());
        File.CreateSymbolicLink(Target + ".partial", outside);

        await Assert.ThrowsAsync<FileLinkRefusedException>(Download);

        AssertUntouched(outside, "keep me"u8.ToArray());
        Assert.False(File.Exists(Target));
    }

    [UnixFact]
    public async Task DownloadAsync_TargetIsSymlinkToTheRightBytesOutside_IsRefusedNotReportedAsSaved()
    {
        var outside = PlantOutside("victim", _registry.Blob);
        File.CreateSymbolicLink(Target, outside);

        await Assert.ThrowsAsync<FileLinkRefusedException>(() => NewDownloader().DownloadAsync(_repository, _registry.BlobDigest, _registry.Blob.Length, Target, overwrite: true));

        AssertUntouched(outside, _registry.Blob);
        Assert.Equal(FileKind.SymbolicLink, RegularFile.GetStatus(Target).Kind);
    }

    [UnixFact]
    public async Task DownloadAsync_PartialIsHardLinkToAFileElsewhere_RefusesAndLeavesThatFileAlone()
    {
        // Same file system (both under the temp folder), as a hard link needs.
        var outside = PlantOutside("victim", _registry.Blob.Take(1000).ToArray());
        UnixTools.HardLink(outside, Target + ".partial");
        WriteSidecar(_registry.BlobDigest, _registry.Blob.Length);

        await Assert.ThrowsAsync<FileLinkRefusedException>(Download);

        AssertUntouched(outside, _registry.Blob.Take(1000).ToArray());
        Assert.False(File.Exists(Target));
    }

    [UnixFact]
    public async Task DownloadAsync_SidecarIsAFifo_FailsWithinSeconds()
    {
        File.WriteAllBytes(Target + ".partial", _registry.Blob.Take(1000).ToArray());
        UnixTools.MakeFifo(Target + ".partial.json");
        var download = Task.Run(Download);
        try
        {
            Assert.Same(download, await Task.WhenAny(download, Task.Delay(TimeSpan.FromSeconds(10))));
            await Assert.ThrowsAsync<FileNotRegularException>(() => download);
        }
        finally
        {
            // Unblock a reader stuck on the FIFO, so a failing run does not leave a thread behind.
            if (!download.IsCompleted)
            {
                using var writer = new FileStream(Target + ".partial.json", FileMode.Open, FileAccess.Write);
            }
        }
    }

    [UnixFact]
    public async Task DownloadAsync_SidecarIsALinkToDevZero_FailsWithinSecondsInBoundedMemory()
    {
        File.WriteAllBytes(Target + ".partial", _registry.Blob.Take(1000).ToArray());
        File.CreateSymbolicLink(Target + ".partial.json", "/dev/zero");
        var before = GC.GetTotalAllocatedBytes(precise: true);

        var download = Task.Run(Download);
        Assert.Same(download, await Task.WhenAny(download, Task.Delay(TimeSpan.FromSeconds(10))));

        await Assert.ThrowsAsync<FileLinkRefusedException>(() => download);
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 64 * 1024 * 1024, "the sidecar was read without a cap");
    }

    // Unix only: there a file open elsewhere can be deleted and renamed over; Windows refuses both while it is open.
    [UnixFact]
    public async Task DownloadAsync_AnotherDownloadTakesOverThePartialName_NeverLeavesTheWrongBytesUnderTheDigest()
    {
        // The config goes to "report.partial" and starts first; the 300 KiB blob goes to "report", so it works in
        // "report.partial" too. The config finishes first and renames its file over that name.
        // Slow bodies, not slow answers: a download creates its working files once the first answer is in.
        _registry.Server.Faults.Add(new FaultRule(FaultKind.Trickle) { PathPattern = $"*/blobs/{_registry.ConfigDigest}", BytesPerSecond = 2, Count = 1 });
        _registry.Server.Faults.Add(new FaultRule(FaultKind.Trickle) { PathPattern = $"*/blobs/{_registry.BlobDigest}", BytesPerSecond = 120 * 1024, Count = 1 });
        var report = Path.Combine(_folder, "report");
        var config = Task.Run(() => NewDownloader().DownloadAsync(_repository, _registry.ConfigDigest, _registry.Config.Length, report + ".partial"));
        await WaitUntilAsync(() => File.Exists(report + ".partial.partial.json"));
        var blob = Task.Run(() => NewDownloader().DownloadAsync(_repository, _registry.BlobDigest, _registry.Blob.Length, report));
        await WaitUntilAsync(() => File.Exists(report + ".partial.json"));
        await Task.Delay(200);

        await config;
        var failure = await Record.ExceptionAsync(() => blob);

        Assert.True(!File.Exists(report) || File.ReadAllBytes(report).SequenceEqual(_registry.Blob), "'report' holds other bytes than the digest it was saved as");
        Assert.IsType<FileReplacedException>(failure);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _registry.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
        Directory.Delete(_outsideFolder, recursive: true);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(25);
        }

        Assert.True(condition());
    }

    private BlobDownloader NewDownloader() => new(_client);

    private Task<BlobDownloadResult> Download() => NewDownloader().DownloadAsync(_repository, _registry.BlobDigest, _registry.Blob.Length, Target);

    private string PlantOutside(string name, byte[] content)
    {
        var path = Path.Combine(_outsideFolder, name);
        File.WriteAllBytes(path, content);
        File.SetLastWriteTimeUtc(path, Planted);
        return path;
    }

    private void WriteSidecar(Digest digest, long size) =>
        File.WriteAllText(Target + ".partial.json", $"{{\"digest\":\"{digest}\",\"size\":{size},\"source\":\"x\",\"started\":\"2020-01-01T00:00:00Z\"}}", Encoding.UTF8);

    private static void AssertUntouched(string path, byte[] content)
    {
        Assert.Equal(content, File.ReadAllBytes(path));
        Assert.Equal(Planted, File.GetLastWriteTimeUtc(path));
    }
}
