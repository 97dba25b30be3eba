using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using OciRegistry.Core.References;
using OciRegistry.TestRegistry;
using OciRegistry.Core.Tests.Support;
using static OciRegistry.Core.Tests.TestRegistry.WritableRegistry;

namespace OciRegistry.Core.Tests.TestRegistry;

/// <summary>
/// What one client can make the test registry hold through blob uploads: sessions expire when idle, are capped in
/// number and in bytes, keep no file open between requests, and leave nothing behind when dropped.
/// </summary>
public sealed class UploadLimitsTests
{
    private const int MiB = 1024 * 1024;

    [LinuxFact]
    public async Task AbandonedUploads_KeepNoFileOpen_AndStopAtTheCap()
    {
        await using var registry = await StartAsync();
        var started = 0;
        var refused = 0;
        var chunk = new byte[MiB + 1];
        for (var i = 0; i < 300; i++)
        {
            using var post = await registry.Http.PostAsync($"/v2/{Name}/blobs/uploads/", null);
            if (post.StatusCode == (HttpStatusCode)429)
            {
                refused++;
                continue;
            }

            Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
            started++;
            using var patch = await registry.Http.PatchAsync(Location(post), Octets(chunk));
            Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);
        }

        Assert.Equal(0, OpenFilesUnder(registry.Server.Uploads.Folder!));
        Assert.Equal(256, started);
        Assert.Equal(44, refused);
    }

    [Fact]
    public async Task IdleUpload_Expires_Answers404_AndItsFileIsDeleted()
    {
        var clock = new ManualTimeProvider { FireTimers = false };
        await using var registry = await StartAsync(new TestRegistryOptions { TimeProvider = clock, UploadIdleTimeout = TimeSpan.FromMinutes(10) });
        var location = await StartSpilledUploadAsync(registry);
        Assert.Single(SpillFiles(registry));

        // The server lets go of the session just after its answer, and stamps the time then: advancing the clock
        // before that would make the session ten minutes younger, not older.
        await Eventually.TrueAsync(() => registry.Server.Uploads.Sessions.All(s => !s.Held));
        clock.Advance(TimeSpan.FromMinutes(11));
        using var patch = await registry.Http.PatchAsync(location, Octets(new byte[10]));

        await RegistryAssert.ErrorAsync(patch, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        Assert.Empty(SpillFiles(registry));
        Assert.Equal(0, registry.Server.Uploads.Count);
    }

    [Fact]
    public async Task UploadInUse_DoesNotExpire_IdleCountsFromTheLastRequest()
    {
        var clock = new ManualTimeProvider { FireTimers = false };
        await using var registry = await StartAsync(new TestRegistryOptions { TimeProvider = clock, UploadIdleTimeout = TimeSpan.FromMinutes(10) });
        using var post = await registry.Http.PostAsync($"/v2/{Name}/blobs/uploads/", null);
        var location = Location(post);
        for (var i = 0; i < 3; i++)
        {
            clock.Advance(TimeSpan.FromMinutes(9));
            using var patch = await registry.Http.PatchAsync(location, Octets([(byte)i]));
            Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);
        }

        clock.Advance(TimeSpan.FromMinutes(9));
        using var put = await registry.Http.PutAsync(location + "?digest=" + Digest.Compute([0, 1, 2]), null);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
    }

    [Fact]
    public async Task IdleUpload_IsSweptWithoutAnotherRequest()
    {
        await using var registry = await StartAsync(new TestRegistryOptions { UploadIdleTimeout = TimeSpan.FromSeconds(1) });
        await StartSpilledUploadAsync(registry);
        Assert.Single(SpillFiles(registry));

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (SpillFiles(registry).Length > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Empty(SpillFiles(registry));
        Assert.Equal(0, registry.Server.Uploads.Count);
    }

    [Fact]
    public async Task UploadsBeyondTheCap_Answer429_UntilOneEnds()
    {
        await using var registry = await StartAsync(new TestRegistryOptions { MaximumUploads = 3 });
        var locations = new string[3];
        for (var i = 0; i < 3; i++)
        {
            using var post = await registry.Http.PostAsync($"/v2/{Name}/blobs/uploads/", null);
            Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
            locations[i] = Location(post);
        }

        using (var refused = await registry.Http.PostAsync($"/v2/{Name}/blobs/uploads/", null))
        {
            await RegistryAssert.ErrorAsync(refused, (HttpStatusCode)429, "TOOMANYREQUESTS");
        }

        using (var monolithic = await registry.Http.PostAsync($"/v2/{Name}/blobs/uploads/?digest={Digest.Compute([1])}", Octets([1])))
        {
            await RegistryAssert.ErrorAsync(monolithic, (HttpStatusCode)429, "TOOMANYREQUESTS");
        }

        using (var cancel = await registry.Http.DeleteAsync(locations[0]))
        {
            Assert.Equal(HttpStatusCode.NoContent, cancel.StatusCode);
        }

        using var again = await registry.Http.PostAsync($"/v2/{Name}/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
    }

    [Fact]
    public async Task Patch_DeclaringFourGiB_Is413AtOnce_AndTheUploadIsGone()
    {
        await using var registry = await StartAsync();
        var location = await StartSpilledUploadAsync(registry);

        // Declare 4 GiB, send 1 MiB and wait: the answer must come from the Content-Length alone.
        var status = await PatchAsync(registry, location, $"Content-Length: {4L * 1024 * MiB}", client => client.SendIgnoringResetAsync(new byte[MiB]));

        Assert.Equal(413, status);
        await AssertUploadGoneAsync(registry, location);
    }

    [Fact]
    public async Task ChunkedPatch_PastTheLimit_Is413_AndNothingStays()
    {
        await using var registry = await StartAsync(new TestRegistryOptions { MaximumUploadSize = 4 * MiB });
        using var post = await registry.Http.PostAsync($"/v2/{Name}/blobs/uploads/", null);
        var location = Location(post);

        var status = await PatchAsync(registry, location, "Transfer-Encoding: chunked", client => client.SendChunkedZerosIgnoringResetAsync(8 * MiB, finish: true));

        Assert.Equal(413, status);
        await AssertUploadGoneAsync(registry, location);
    }

    /// <summary>Sends a PATCH head with <paramref name="framing"/>, reads the status while <paramref name="sendBody"/> runs, then drops the connection.</summary>
    private static async Task<int> PatchAsync(WritableRegistry registry, string location, string framing, Func<RawClient, Task> sendBody)
    {
        using var client = await RawClient.ConnectAsync(registry.Server);
        await client.SendHeadAsync($"PATCH {location} HTTP/1.1\r\nHost: {registry.Server.Host}\r\nContent-Type: application/octet-stream\r\n{framing}");
        var body = sendBody(client);
        var status = await client.ReadStatusAsync(skipBody: false);
        client.Drop();
        await body;
        return status;
    }

    private static async Task AssertUploadGoneAsync(WritableRegistry registry, string location)
    {
        using var check = await registry.Http.GetAsync(location);
        await RegistryAssert.ErrorAsync(check, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        Assert.Empty(SpillFiles(registry));
    }

    [Fact]
    public async Task MonolithicPost_OverTheLimit_Is413_AndNoUploadStays()
    {
        await using var registry = await StartAsync(new TestRegistryOptions { MaximumUploadSize = MiB });
        var blob = RegistryFixture.Pattern(2 * MiB);

        using var post = await registry.Http.PostAsync($"/v2/{Name}/blobs/uploads/?digest={Digest.Compute(blob)}", Octets(blob));

        await RegistryAssert.ErrorAsync(post, HttpStatusCode.RequestEntityTooLarge, "SIZE_INVALID");
        Assert.Equal(0, registry.Server.Uploads.Count);
        Assert.Empty(SpillFiles(registry));
    }

    [Fact]
    public async Task MonolithicPost_WellOverTheLimit_ReachesTheClientAs413_NotAsAReset()
    {
        await using var registry = await StartAsync(new TestRegistryOptions { MaximumUploadSize = MiB });
        var blob = RegistryFixture.Pattern(16 * MiB);

        // HttpClient sends the whole body before it reads the answer; a server that closed on the unread rest
        // would reset the connection under it.
        using var post = await registry.Http.PostAsync($"/v2/{Name}/blobs/uploads/?digest={Digest.Compute(blob)}", Octets(blob));

        await RegistryAssert.ErrorAsync(post, HttpStatusCode.RequestEntityTooLarge, "SIZE_INVALID");
    }

    [Fact]
    public async Task Put_TakingTheUploadPastTheLimit_Is413_AndTheUploadIsGone()
    {
        await using var registry = await StartAsync(new TestRegistryOptions { MaximumUploadSize = MiB });
        var blob = RegistryFixture.Pattern(MiB + 2);
        using var post = await registry.Http.PostAsync($"/v2/{Name}/blobs/uploads/", null);
        using var patch = await registry.Http.PatchAsync(Location(post), Octets(blob.Take(MiB / 2).ToArray()));
        Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);

        using var put = await registry.Http.PutAsync(Location(patch) + "?digest=" + Digest.Compute(blob), Octets(blob.Skip(MiB / 2).ToArray()));

        await RegistryAssert.ErrorAsync(put, HttpStatusCode.RequestEntityTooLarge, "SIZE_INVALID");
        Assert.Equal(0, registry.Server.Uploads.Count);
    }

    [Fact]
    public async Task UploadOfExactlyTheLimit_IsTaken()
    {
        await using var registry = await StartAsync(new TestRegistryOptions { MaximumUploadSize = MiB });
        var blob = RegistryFixture.Pattern(MiB);

        var digest = await registry.PushBlobAsync(blob);

        Assert.Equal(blob, await registry.Http.GetByteArrayAsync($"/v2/{Name}/blobs/{digest}"));
    }

    [Fact]
    public async Task PatchDroppedMidway_LeavesTheUploadAsItWas()
    {
        await using var registry = await StartAsync();
        var location = await StartSpilledUploadAsync(registry);

        using (var client = await RawClient.ConnectAsync(registry.Server))
        {
            await client.SendHeadAsync($"PATCH {location} HTTP/1.1\r\nHost: {registry.Server.Host}\r\nContent-Type: application/octet-stream\r\nContent-Length: {4 * MiB}");
            await client.SendAsync(new byte[MiB]);
            client.Drop();
        }

        // The server notices the drop on its own time; the session answers once the aborted request let go of it.
        using var status = await registry.Http.GetAsync(location);
        Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
        Assert.Equal($"0-{(2 * MiB) - 1}", RegistryAssert.Header(status, "Range"));

        // The GET may be answered before the aborted PATCH took the session; its bytes are rolled back when the
        // server sees the drop, which is the state to check.
        var spill = Assert.Single(SpillFiles(registry));
        for (var i = 0; i < 200 && new FileInfo(spill).Length != 2 * MiB; i++)
        {
            await Task.Delay(25);
        }

        Assert.Equal(2 * MiB, new FileInfo(spill).Length);
        using var again = await registry.Http.GetAsync(location);
        Assert.Equal($"0-{(2 * MiB) - 1}", RegistryAssert.Header(again, "Range"));
    }

    [Fact]
    public async Task MonolithicPostDroppedMidway_LeavesNoUploadBehind()
    {
        await using var registry = await StartAsync();

        using (var client = await RawClient.ConnectAsync(registry.Server))
        {
            await client.SendHeadAsync($"POST /v2/{Name}/blobs/uploads/?digest={Digest.Compute([1])} HTTP/1.1\r\nHost: {registry.Server.Host}\r\nContent-Type: application/octet-stream\r\nContent-Length: {4 * MiB}");
            await client.SendAsync(new byte[2 * MiB]);
            client.Drop();
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while ((registry.Server.Uploads.Count > 0 || SpillFiles(registry).Length > 0) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal(0, registry.Server.Uploads.Count);
        Assert.Empty(SpillFiles(registry));
    }

    [Fact]
    public async Task Stop_DeletesEverySpillFile()
    {
        var registry = await StartAsync();
        for (var i = 0; i < 5; i++)
        {
            await StartSpilledUploadAsync(registry);
        }

        var folder = registry.Server.Uploads.Folder!;
        Assert.Equal(5, Directory.GetFiles(folder).Length);

        await registry.DisposeAsync();

        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task StartAsync_UnusableLimits_AreRefused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => TestRegistryServer.StartAsync(new TestRegistryOptions { MaximumUploadSize = 0 }));
        await Assert.ThrowsAsync<ArgumentException>(() => TestRegistryServer.StartAsync(new TestRegistryOptions { MaximumUploads = 0 }));
        await Assert.ThrowsAsync<ArgumentException>(() => TestRegistryServer.StartAsync(new TestRegistryOptions { UploadIdleTimeout = TimeSpan.FromMilliseconds(500) }));
    }

    // A session holding 2 MiB: past the in-memory limit, so in a file.
    private static async Task<string> StartSpilledUploadAsync(WritableRegistry registry)
    {
        using var post = await registry.Http.PostAsync($"/v2/{Name}/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        using var patch = await registry.Http.PatchAsync(Location(post), Octets(RegistryFixture.Pattern(2 * MiB)));
        Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);
        return Location(patch);
    }

    private static string[] SpillFiles(WritableRegistry registry) =>
        registry.Server.Uploads.Folder is { } folder && Directory.Exists(folder) ? Directory.GetFiles(folder) : [];

    // Descriptors of this process open on a file in the folder.
    private static int OpenFilesUnder(string folder) =>
        new DirectoryInfo("/proc/self/fd").GetFileSystemInfos().Count(fd =>
        {
            try
            {
                return fd.LinkTarget is { } target && target.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal);
            }
            catch (IOException)
            {
                return false; // closed while we looked
            }
        });
}
