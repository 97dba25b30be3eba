using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using OciRegistry.Core.Client;
using OciRegistry.Core.References;
using OciRegistry.Core.Tests.TestRegistry;
using OciRegistry.TestRegistry;
using OciRegistry.Core.Transfer;

namespace OciRegistry.Core.Tests.Transfer;

/// <summary>Writeback started while a download runs: that it really starts on Linux, and that bytes stay right.</summary>
public sealed class WriteBehindTests : IDisposable
{
    private const int MiB = 1024 * 1024;
    private readonly string _folder = Directory.CreateTempSubdirectory("ociregistry-writebehind-").FullName;

    [Fact]
    public void Written_EveryMebibyteOfTwenty_StartsWritebackAtEachEightMebibyteStepOnLinuxOnly()
    {
        using var file = new FileStream(Path.Combine(_folder, "data"), FileMode.Create, FileAccess.ReadWrite, FileShare.None, MiB);
        var writeBehind = new WriteBehind(file, 0);
        var buffer = new byte[MiB];
        for (var i = 1; i <= 20; i++)
        {
            file.Write(buffer, 0, buffer.Length);
            writeBehind.Written((long)i * MiB);
        }

        // On Linux the P/Invoke must resolve and succeed, or the fsync after the last byte waits for the whole blob.
        var linux = RuntimeInformation.IsOSPlatform(OSPlatform.Linux);
        Assert.Equal(linux, writeBehind.Active);
        Assert.Equal(linux ? 16L * MiB : 0, writeBehind.StartedUpTo);
    }

    [Fact]
    public void Written_FromAResumePosition_CountsStepsFromThere()
    {
        using var file = new FileStream(Path.Combine(_folder, "data"), FileMode.Create, FileAccess.ReadWrite, FileShare.None, MiB);
        file.SetLength(3 * MiB);
        file.Seek(3 * MiB, SeekOrigin.Begin);
        var writeBehind = new WriteBehind(file, 3 * MiB);
        var buffer = new byte[MiB];
        for (var end = 4L * MiB; end <= 12L * MiB; end += MiB)
        {
            file.Write(buffer, 0, buffer.Length);
            writeBehind.Written(end);
        }

        Assert.Equal(RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? 11L * MiB : 3 * MiB, writeBehind.StartedUpTo);
    }

    [Fact]
    public async Task DownloadAsync_TwentyMebibytesCutPastTheFirstStepAndResumedAcrossRuns_IsByteExact()
    {
        await using var registry = await RegistryUnderTest.StartAsync(null, new FaultRule(FaultKind.CutBody) { Offset = 9 * MiB + 123, Count = 1 });
        var blob = RegistryFixture.Pattern(20 * MiB);
        var digest = registry.Server.Content.AddBlob(RegistryUnderTest.Repository, blob);
        using var client = new RegistryClient(registry.Server.Host, new ClientOptions { UseDockerConfig = false });
        var repository = Reference.ParseRepository($"{registry.Server.Host}/{RegistryUnderTest.Repository}");

        var cut = await new BlobDownloader(client).DownloadAsync(repository, digest, blob.Length, Path.Combine(_folder, "cut"));

        Assert.Equal(2, cut.Attempts);
        Assert.Equal(blob, File.ReadAllBytes(cut.Path));

        // A partial of 12 MiB from an earlier run, with its sidecar: writeback then starts from byte 12 Mi.
        var target = Path.Combine(_folder, "resumed");
        File.WriteAllBytes(target + ".partial", blob.AsSpan(0, 12 * MiB).ToArray());
        File.WriteAllText(target + ".partial.json", $$"""{"digest":"{{digest}}","size":{{blob.Length}}}""");

        var resumed = await new BlobDownloader(client).DownloadAsync(repository, digest, blob.Length, target);

        Assert.Equal(12L * MiB, resumed.ResumedFrom);
        Assert.Equal(blob, File.ReadAllBytes(target));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
