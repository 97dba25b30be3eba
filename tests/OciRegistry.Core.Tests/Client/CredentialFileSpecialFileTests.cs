using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading.Tasks;
using OciRegistry.Core.Client;
using OciRegistry.Core.Tests.Support;

namespace OciRegistry.Core.Tests.Client;

/// <summary>
/// config.json and auth.json are read only as regular files, through the size cap: a link to one is fine (people
/// symlink their dotfiles), a link to <c>/dev/zero</c> or a FIFO fails within seconds in bounded memory.
/// Each read runs on one thread, whose allocations are counted.
/// </summary>
public sealed class CredentialFileSpecialFileTests : IDisposable
{
    private const int Seconds = 10;
    private const long AllocationBound = 64L * 1024 * 1024;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ociregistry-credfiles-" + Guid.NewGuid().ToString("N"));

    public CredentialFileSpecialFileTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [UnixFact(Timeout = Seconds * 1000)]
    public async Task Find_DockerConfigIsAFifo_FailsAtOnceNamingIt()
    {
        var path = Path.Combine(_folder, "config.json");
        UnixTools.MakeFifo(path);

        var (error, elapsed, allocated) = await Measure(() => DockerConfigCredentials.Find("ghcr.io", path));

        Assert.True(elapsed < TimeSpan.FromSeconds(Seconds), $"took {elapsed}");
        Assert.IsAssignableFrom<OciException>(error);
        Assert.Contains(path, error!.Message, StringComparison.Ordinal);
        Assert.Contains("FIFO", error.Message, StringComparison.Ordinal);
        Assert.True(allocated < AllocationBound, $"allocated {allocated} bytes");
    }

    [UnixFact(Timeout = Seconds * 1000)]
    public async Task Find_DockerConfigLinkedToDevZero_FailsAtOnceInBoundedMemory()
    {
        var path = Path.Combine(_folder, "config.json");
        File.CreateSymbolicLink(path, "/dev/zero");

        var (error, elapsed, allocated) = await Measure(() => DockerConfigCredentials.Find("ghcr.io", path));

        Assert.True(allocated < AllocationBound, $"allocated {allocated} bytes");
        Assert.True(elapsed < TimeSpan.FromSeconds(Seconds), $"took {elapsed}");
        Assert.IsAssignableFrom<OciException>(error);
        Assert.Contains("character device", error!.Message, StringComparison.Ordinal);
    }

    [UnixFact(Timeout = Seconds * 1000)]
    public async Task FindAsync_ContainersAuthFileIsAFifo_FailsAtOnceNamingIt()
    {
        var path = Path.Combine(_folder, "auth.json");
        UnixTools.MakeFifo(path);
        var lookup = new StoredCredentials("ghcr.io", Path.Combine(_folder, "none.json"), [path], TimeSpan.FromSeconds(5), _folder);

        var (error, elapsed, _) = await Measure(() => lookup.FindAsync(default).GetAwaiter().GetResult());

        Assert.True(elapsed < TimeSpan.FromSeconds(Seconds), $"took {elapsed}");
        Assert.IsAssignableFrom<OciException>(error);
        Assert.Contains(path, error!.Message, StringComparison.Ordinal);
    }

    [UnixFact]
    public void Find_DockerConfigSymlinkedToARegularFile_IsRead()
    {
        var dotfiles = Path.Combine(_folder, "dotfiles");
        Directory.CreateDirectory(dotfiles);
        var real = Path.Combine(dotfiles, "docker-config.json");
        File.WriteAllText(real, "{\"auths\":{\"ghcr.io\":{\"auth\":\"" + Convert.ToBase64String(Encoding.UTF8.GetBytes("linked:pw")) + "\"}}}");
        var path = Path.Combine(_folder, "config.json");
        File.CreateSymbolicLink(path, real);

        Assert.Equal("linked", DockerConfigCredentials.Find("ghcr.io", path)!.Username);
    }

    [Fact]
    public void Find_DockerConfigIsAFolder_IsAnError()
    {
        var path = Path.Combine(_folder, "config.json");
        Directory.CreateDirectory(path);

        var error = Assert.ThrowsAny<OciException>(() => DockerConfigCredentials.Find("ghcr.io", path));

        Assert.Contains("directory", error.Message, StringComparison.Ordinal);
    }

    // Runs the read on a thread of its own (a blocked open must not take the test runner's thread with it) and
    // counts what that thread allocated.
    private static async Task<(Exception? Error, TimeSpan Elapsed, long Allocated)> Measure(Action read)
    {
        var clock = Stopwatch.StartNew();
        return await Task.Factory.StartNew(
            () =>
            {
                var before = GC.GetAllocatedBytesForCurrentThread();
                var error = Record.Exception(read);
                return (error, clock.Elapsed, GC.GetAllocatedBytesForCurrentThread() - before);
            },
            TaskCreationOptions.LongRunning);
    }
}
