using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.References;
using OciRegistry.TestRegistry;

namespace OciRegistry.Core.Tests.TestRegistry;

public sealed class TestRegistryServerTests
{
    [Fact]
    public async Task StartAsync_Defaults_ListensOnLoopbackAndFreePort()
    {
        using var server = await TestRegistryServer.StartAsync();

        Assert.True(server.IsRunning);
        Assert.InRange(server.Port, 1, 65535);
        Assert.Equal($"127.0.0.1:{server.Port}", server.Host);
        Assert.Equal(new Uri($"http://127.0.0.1:{server.Port}/"), server.Url);
        Assert.True(Reference.IsLoopbackRegistry(server.Host));
        using var client = new HttpClient { BaseAddress = server.Url };
        Assert.Equal("{}", await client.GetStringAsync("v2/"));
    }

    [Fact]
    public async Task StartAsync_ManyAtOnce_EachGetsItsOwnPort()
    {
        var servers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => TestRegistryServer.StartAsync()));
        try
        {
            Assert.Equal(servers.Length, servers.Select(s => s.Port).Distinct().Count());
        }
        finally
        {
            foreach (var server in servers)
            {
                server.Dispose();
            }
        }
    }

    [Fact]
    public async Task StopAsync_AfterRequests_FreesThePortAtOnce()
    {
        var server = await TestRegistryServer.StartAsync();
        var port = server.Port;
        using (var client = new HttpClient { BaseAddress = server.Url })
        {
            // Leave a keep-alive connection open: stopping must close it too.
            Assert.Equal("{}", await client.GetStringAsync("v2/"));
            await server.StopAsync();

            Assert.False(server.IsRunning);
            await Assert.ThrowsAsync<HttpRequestException>(() => client.GetStringAsync("v2/"));
        }

        var probe = new TcpListener(IPAddress.Loopback, port);
        probe.Start();
        probe.Stop();
        using var again = await TestRegistryServer.StartAsync(new TestRegistryOptions { Port = port });
        Assert.Equal(port, again.Port);
    }

    [Fact]
    public async Task StopAsync_FreesTheCdnPortToo()
    {
        var server = await TestRegistryServer.StartAsync();
        Assert.NotEqual(server.Port, server.CdnUrl.Port);
        Assert.Equal(server.Url.Host, server.CdnUrl.Host);

        await server.StopAsync();

        var probe = new TcpListener(IPAddress.Loopback, server.CdnUrl.Port);
        probe.Start();
        probe.Stop();
    }

    [Fact]
    public async Task Dispose_Twice_IsHarmless()
    {
        var server = await TestRegistryServer.StartAsync();

        server.Dispose();
        server.Dispose();
        await server.StopAsync();

        Assert.False(server.IsRunning);
    }

    [Fact]
    public async Task StopAsync_DuringDownload_AbortsItPromptly()
    {
        using var server = await TestRegistryServer.StartAsync();
        var digest = server.Content.AddBlob("big", new byte[32 * 1024 * 1024]);
        using var client = new HttpClient { BaseAddress = server.Url };
        using var response = await client.GetAsync($"v2/big/blobs/{digest}", HttpCompletionOption.ResponseHeadersRead);
        var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[4096];
        Assert.True(await body.ReadAsync(buffer) > 0);

        var watch = Stopwatch.StartNew();
        await server.StopAsync();
        watch.Stop();

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"stopping took {watch.Elapsed}");
        await Assert.ThrowsAnyAsync<IOException>(async () =>
        {
            while (await body.ReadAsync(buffer) > 0)
            {
            }
        });
    }

    [Fact]
    public async Task StartAsync_PortTaken_ThrowsOciException()
    {
        var blocker = new TcpListener(IPAddress.Loopback, 0);
        blocker.Start();
        try
        {
            var port = ((IPEndPoint)blocker.LocalEndpoint).Port;

            var error = await Assert.ThrowsAsync<OciException>(() => TestRegistryServer.StartAsync(new TestRegistryOptions { Port = port }));

            Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message);
            Assert.NotNull(error.InnerException);
        }
        finally
        {
            blocker.Stop();
        }
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(65536)]
    public async Task StartAsync_PortOutOfRange_ThrowsArgumentException(int port)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => TestRegistryServer.StartAsync(new TestRegistryOptions { Port = port }));
    }

    [Fact]
    public async Task StartAsync_Cancelled_Throws()
    {
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => TestRegistryServer.StartAsync(cancellationToken: new CancellationToken(true)));
    }

    [Fact]
    public async Task StartAsync_IPv6Loopback_BracketsTheHost()
    {
        if (!Socket.OSSupportsIPv6 || !CanBind(IPAddress.IPv6Loopback))
        {
            return; // No IPv6 loopback on this machine.
        }

        using var server = await TestRegistryServer.StartAsync(new TestRegistryOptions { Address = IPAddress.IPv6Loopback });

        Assert.Equal($"[::1]:{server.Port}", server.Host);
        using var client = new HttpClient { BaseAddress = server.Url };
        Assert.Equal("{}", await client.GetStringAsync("v2/"));
    }

    [Fact]
    public async Task StartAsync_AnyAddress_IsReachableThroughLoopback()
    {
        using var server = await TestRegistryServer.StartAsync(new TestRegistryOptions { Address = IPAddress.Any });

        Assert.Equal($"127.0.0.1:{server.Port}", server.Host);
        using var client = new HttpClient { BaseAddress = server.Url };
        Assert.Equal("{}", await client.GetStringAsync("v2/"));
    }

    [Fact]
    public async Task Get_BlobFileDeleted_Returns500AndKeepsServing()
    {
        using var server = await TestRegistryServer.StartAsync();
        var path = Path.GetTempFileName();
        var content = RegistryFixture.Pattern(1000);
        await File.WriteAllBytesAsync(path, content);
        var digest = Digest.Compute(content);
        server.Content.AddBlobFile("files", digest, content.Length, path);
        File.Delete(path);
        using var client = new HttpClient { BaseAddress = server.Url };

        using var response = await client.GetAsync($"v2/files/blobs/{digest}");

        await RegistryAssert.ErrorAsync(response, HttpStatusCode.InternalServerError, "UNKNOWN");
        Assert.False(response.Headers.Contains("Docker-Content-Digest"));
        Assert.Equal("{}", await client.GetStringAsync("v2/"));
    }

    [Fact]
    public async Task Get_BlobFileTruncated_AbortsTheResponseAndKeepsServing()
    {
        using var server = await TestRegistryServer.StartAsync();
        var path = Path.GetTempFileName();
        try
        {
            var content = RegistryFixture.Pattern(400_000);
            await File.WriteAllBytesAsync(path, content);
            var digest = Digest.Compute(content);
            server.Content.AddBlobFile("files", digest, content.Length, path);
            await File.WriteAllBytesAsync(path, content[..200_000]);
            using var client = new HttpClient { BaseAddress = server.Url };

            await Assert.ThrowsAsync<HttpRequestException>(() => client.GetByteArrayAsync($"v2/files/blobs/{digest}"));

            Assert.Equal("{}", await client.GetStringAsync("v2/"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Content_AddedWhileRunning_IsServed()
    {
        using var server = await TestRegistryServer.StartAsync();
        using var client = new HttpClient { BaseAddress = server.Url };
        var digest = Digest.Compute([1, 2, 3]);
        using (var before = await client.GetAsync($"v2/late/blobs/{digest}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
        }

        server.Content.AddBlob("late", [1, 2, 3]);

        Assert.Equal([1, 2, 3], await client.GetByteArrayAsync($"v2/late/blobs/{digest}"));
    }

    private static bool CanBind(IPAddress address)
    {
        try
        {
            var listener = new TcpListener(address, 0);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
