using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.Client;
using OciRegistry.Core.References;
using OciRegistry.Core.Tests.Support;
using OciRegistry.Core.Tests.TestRegistry;
using OciRegistry.Core.Transfer;
using OciRegistry.TestRegistry;

namespace OciRegistry.Core.Tests.Transfer;

/// <summary>Parallel ranges: how a blob is split, what the sidecar may say, and what a cancelled run leaves.</summary>
public sealed class RangedBlobDownloadTests : IDisposable
{
    private const long MiB = 1024 * 1024;
    private readonly string _folder = Directory.CreateTempSubdirectory("ociregistry-ranged-").FullName;

    private static string Describe(IEnumerable<BlobPart> parts) => string.Join(" ", parts.Select(p => $"{p.Start / MiB}-{p.End / MiB}:{p.Done / MiB}"));

    [Fact]
    public void Split_AFreshBlob_IntoEqualParts()
    {
        var parts = new List<BlobPart> { new(0, 16 * MiB, 0) };
        RangedBlobDownload.Split(parts, 4);
        Assert.Equal("0-4:0 4-8:0 8-12:0 12-16:0", Describe(parts));
    }

    [Theory]
    [InlineData(16, 4, 4)]
    [InlineData(256, 4, 16)]
    [InlineData(1024, 4, 64)]
    [InlineData(4096, 4, 64)]
    [InlineData(256, 16, 16)]
    [InlineData(8, 2, 2)]
    public void Parts_OnePerSixteenMebibytes_AtLeastOnePerConnection_AtMostSixtyFour(long mebibytes, int connections, int parts)
    {
        Assert.Equal(parts, RangedBlobDownload.Parts(mebibytes * MiB, connections));
    }

    [Fact]
    public void Split_ABlobOfManyParts_InOrder_SoTheConnectionsMoveTheHashedFrontTogether()
    {
        var parts = new List<BlobPart> { new(0, 256 * MiB, 0) };
        RangedBlobDownload.Split(parts, RangedBlobDownload.Parts(256 * MiB, 4));
        Assert.Equal(16, parts.Count);
        Assert.All(parts, p => Assert.Equal(16 * MiB, p.Length));
        Assert.Equal(Enumerable.Range(0, 16).Select(i => i * 16 * MiB), parts.Select(p => p.Start));
    }

    [Fact]
    public void Split_APartialFileInOrder_SplitsWhatIsMissingAndKeepsWhatIsDone()
    {
        var parts = new List<BlobPart> { new(0, 16 * MiB, 4 * MiB) };
        RangedBlobDownload.Split(parts, 4);
        Assert.Equal("0-7:4 7-10:0 10-13:0 13-16:0", Describe(parts));
        Assert.Equal(12 * MiB, parts.Sum(p => p.Missing));
    }

    [Fact]
    public void Split_LeavesFinishedPartsAlone_AndNeverMakesAPartUnderOneMebibyte()
    {
        var parts = new List<BlobPart> { new(0, 8 * MiB, 8 * MiB), new(8 * MiB, 11 * MiB, 0) };
        RangedBlobDownload.Split(parts, 8);
        Assert.Equal("0-8:8 8-9:0 9-10:0 10-11:0", Describe(parts));

        var small = new List<BlobPart> { new(0, MiB + 1, 0) };
        RangedBlobDownload.Split(small, 4);
        Assert.Single(small);
    }

    [Fact]
    public void Split_AsManyPartsAsUnfinished_SplitsNothing()
    {
        var parts = new List<BlobPart> { new(0, 4 * MiB, 1), new(4 * MiB, 8 * MiB, 2) };
        RangedBlobDownload.Split(parts, 2);
        Assert.Equal(2, parts.Count);
    }

    [Theory]
    [InlineData("[[0,8,0],[8,16,0]]", true)]
    [InlineData("[[0,16,16]]", true)]
    [InlineData("[[1,8,0],[8,16,0]]", false)]
    [InlineData("[[0,8,0],[9,16,0]]", false)]
    [InlineData("[[0,9,0],[8,16,0]]", false)]
    [InlineData("[[0,8,0],[8,17,0]]", false)]
    [InlineData("[[0,8,0]]", false)]
    [InlineData("[[0,8,9],[8,16,0]]", false)]
    [InlineData("[[0,8,-1],[8,16,0]]", false)]
    [InlineData("[[0,8,0],[8,8,0],[8,16,0]]", false)]
    [InlineData("[[0,8,\"0\"],[8,16,0]]", false)]
    [InlineData("[[0,8],[8,16,0]]", false)]
    [InlineData("[]", false)]
    [InlineData("{}", false)]
    public void TryRead_TrustsOnlyPartsThatTileTheBlobInOrder(string parts, bool trusted)
    {
        var target = Path.Combine(_folder, "blob");
        var digest = Digest.Parse("sha256:" + new string('a', 64));
        File.WriteAllBytes(target + ".partial", new byte[16]);
        File.WriteAllText(target + ".partial.json", $"{{\"digest\":\"{digest}\",\"size\":16,\"parts\":{parts}}}");

        var belongs = new PartialDownload(target).TryRead(digest, 16, out var read);

        Assert.Equal(trusted, belongs);
        Assert.Equal(trusted, read is not null);
    }

    [Fact]
    public void TryRead_RefusesMoreThanTheMostPartsAModuleWrites()
    {
        var target = Path.Combine(_folder, "blob");
        var digest = Digest.Parse("sha256:" + new string('b', 64));
        var count = BlobPart.MaximumCount + 1;
        File.WriteAllBytes(target + ".partial", []);
        File.WriteAllText(target + ".partial.json", $"{{\"digest\":\"{digest}\",\"size\":{count},\"parts\":[{string.Join(",", Enumerable.Range(0, count).Select(i => $"[{i},{i + 1},0]"))}]}}");

        Assert.False(new PartialDownload(target).TryRead(digest, count, out _));
    }

    [Fact]
    public async Task DownloadAsync_CancelledWithAPartStalled_RecordsEveryPartAndResumesOnlyTheMissingBytes()
    {
        // Part two of four (4-8 MiB) stalls after 2 MiB; the others finish.
        await using var registry = await RegistryUnderTest.StartAsync(null, new FaultRule(FaultKind.Stall) { Offset = 6 * MiB, Count = 1 });
        var blob = RegistryFixture.Pattern((int)(16 * MiB));
        var digest = registry.Server.Content.AddBlob(RegistryUnderTest.Repository, blob);
        var path = $"/v2/{RegistryUnderTest.Repository}/blobs/{digest}";
        using var client = new RegistryClient(registry.Server.Host, new ClientOptions { UseDockerConfig = false });
        var repository = Reference.ParseRepository($"{registry.Server.Host}/{RegistryUnderTest.Repository}");
        var target = Path.Combine(_folder, "blob");
        using var cancel = new CancellationTokenSource();
        var downloader = new BlobDownloader(client) { ParallelRanges = 4 };
        var download = downloader.DownloadAsync(repository, digest, blob.Length, target, cancellationToken: cancel.Token);
        await Eventually.TrueAsync(() => registry.Server.Requests.Count(r => r.Path == path && r.BytesSent == 4 * MiB) == 3);
        await Task.Delay(300);
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => download);

        Assert.False(File.Exists(target));
        using (var sidecar = JsonDocument.Parse(File.ReadAllBytes(target + ".partial.json")))
        {
            var parts = sidecar.RootElement.GetProperty("parts").EnumerateArray().Select(p => p.EnumerateArray().Select(n => n.GetInt64() / MiB).ToArray()).ToArray();
            Assert.Equal("0-4:4 4-8:2 8-12:4 12-16:4", string.Join(" ", parts.Select(p => $"{p[0]}-{p[1]}:{p[2]}")));
        }

        var resumed = await downloader.DownloadAsync(repository, digest, blob.Length, target);

        Assert.Equal(14 * MiB, resumed.ResumedFrom);
        Assert.Equal(2 * MiB, resumed.BytesDownloaded);
        // The 2 MiB missing, split again for the connections there are.
        Assert.Equal(
            [$"bytes={6 * MiB}-{(7 * MiB) - 1}", $"bytes={7 * MiB}-{(8 * MiB) - 1}"],
            registry.Server.Requests.Where(r => r.Path == path).Skip(4).Select(r => r.Range).Order());
        Assert.Equal(blob, File.ReadAllBytes(target));
        Assert.False(File.Exists(target + ".partial"));
        Assert.False(File.Exists(target + ".partial.json"));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
