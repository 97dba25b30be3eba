using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.TestRegistry;
using OciRegistry.Core.Tests.Support;

namespace OciRegistry.Core.Tests.TestRegistry;

/// <summary>
/// What one client can make the test registry hold at the HTTP layer: the request line and headers are capped,
/// headers that trickle are dropped, a bad Host is answered at once without reading the body, and none of it slows
/// down anybody else. Raw sockets, because HttpClient would refuse to send most of this.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class TransportLimitsTests
{
    [Fact]
    public async Task RequestLine_16MiB_Is414AfterTheCapAndCostsNoMemory()
    {
        await using var registry = await RegistryUnderTest.StartAsync();
        var line = RequestLine(16 * 1024 * 1024);
        var before = GC.GetTotalAllocatedBytes(precise: true);

        using var client = await RawClient.ConnectAsync(registry.Server);
        var send = client.SendIgnoringResetAsync(line);
        var status = await client.ReadStatusAsync();
        await send;

        Assert.Equal(414, status);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.True(allocated < 8 * 1024 * 1024, $"answering a 16 MiB request line allocated {allocated / 1024 / 1024} MiB");
        Assert.Equal(registry.Manifest, await registry.Http.GetByteArrayAsync(registry.ManifestPath));
    }

    [Fact]
    public async Task RequestLine_OverAConfiguredCap_Is414()
    {
        await using var registry = await RegistryUnderTest.StartAsync(new TestRegistryOptions { MaximumRequestLineLength = 100 });

        using var longer = await registry.Http.GetAsync(registry.ManifestPath + "?" + new string('a', 100));
        using var shorter = await registry.Http.GetAsync(registry.ManifestPath);

        Assert.Equal((HttpStatusCode)414, longer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, shorter.StatusCode);
    }

    [Fact]
    public async Task Headers_OverAConfiguredCap_Are431EvenWhenTheyArriveAtOnce()
    {
        await using var registry = await RegistryUnderTest.StartAsync(new TestRegistryOptions { MaximumRequestLineLength = 256, MaximumRequestHeadersLength = 2048 });
        using var client = await RawClient.ConnectAsync(registry.Server);

        await client.SendAsync(Encoding.ASCII.GetBytes($"GET /v2/ HTTP/1.1\r\nHost: {registry.Server.Host}\r\nX-Padding: {new string('b', 3000)}\r\n\r\n"));

        Assert.Equal(431, await client.ReadStatusAsync());
    }

    [Fact]
    public async Task RequestLog_KeepsABoundedPrefixOfEachUrl_AndABoundedTotal()
    {
        await using var registry = await RegistryUnderTest.StartAsync();
        var query = new string('q', 60 * 1024);

        for (var i = 0; i < 2200; i++)
        {
            using var response = await registry.Http.GetAsync(registry.ManifestPath + "?" + query);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode); // served whole: only the log's copy is cut
        }

        var entries = registry.Server.Requests.ToList();
        Assert.All(entries, e => Assert.True(e.Query is null || e.Query.Length <= RequestLogEntry.MaxFieldLength));
        Assert.True(entries.Sum(e => (long)(e.Query?.Length ?? 0) + e.Path.Length) <= RequestLog.MaxTextLength);
        Assert.True(entries.Count < 2200, $"the log kept {entries.Count} entries of 2 KiB queries under a {RequestLog.MaxTextLength}-character bound");
    }

    [Fact]
    public async Task Headers_2MiB_Are431()
    {
        await using var registry = await RegistryUnderTest.StartAsync();

        using var client = await RawClient.ConnectAsync(registry.Server);
        var head = new StringBuilder("GET /v2/ HTTP/1.1\r\nHost: " + registry.Server.Host + "\r\n");
        for (var i = 0; head.Length < 2 * 1024 * 1024; i++)
        {
            head.Append("X-Filler-").Append(i).Append(": ").Append('x', 1000).Append("\r\n");
        }

        var send = client.SendIgnoringResetAsync(Encoding.ASCII.GetBytes(head.Append("\r\n").ToString()));
        var status = await client.ReadStatusAsync();
        await send;

        Assert.Equal(431, status);
    }

    [Fact]
    public async Task Headers_Trickling_AreDroppedAtTheHeaderTimeout()
    {
        await using var registry = await RegistryUnderTest.StartAsync(new TestRegistryOptions { RequestHeadersTimeout = TimeSpan.FromSeconds(1) });
        using var client = await RawClient.ConnectAsync(registry.Server);
        var clock = Stopwatch.StartNew();

        await client.SendAsync(Encoding.ASCII.GetBytes("GET /v2/ HTTP/1.1\r\nHost: " + registry.Server.Host + "\r\n"));
        var closed = false;
        for (var i = 0; i < 50 && !closed; i++)
        {
            await Task.Delay(200);
            closed = !await client.TrySendAsync(Encoding.ASCII.GetBytes($"X-Slow-{i}: y\r\n")) || await client.IsClosedAsync();
        }

        Assert.True(closed, "a client trickling header lines kept its connection for 10 s");
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task BadHost_WithASlowBody_IsAnsweredAtOnceAndStallsNobody()
    {
        await using var registry = await RegistryUnderTest.StartAsync();
        var clients = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => RawClient.ConnectAsync(registry.Server)));
        try
        {
            var head = Encoding.ASCII.GetBytes(
                $"PUT /v2/{RegistryUnderTest.Repository}/blobs/uploads/x HTTP/1.1\r\nHost: bad host\r\nContent-Length: 100000000\r\n\r\nabc");
            await Task.WhenAll(clients.Select(c => c.SendAsync(head)));
            var clock = Stopwatch.StartNew();

            Assert.Equal(registry.Manifest, await registry.Http.GetByteArrayAsync(registry.ManifestPath));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"a normal GET took {clock.Elapsed.TotalSeconds:0.0} s next to 50 slow clients");

            var statuses = await Task.WhenAll(clients.Select(c => c.ReadStatusAsync()));
            Assert.All(statuses, s => Assert.Equal(400, s));
            Assert.All(await Task.WhenAll(clients.Select(c => c.IsClosedAsync())), Assert.True);
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    [Theory]
    [InlineData("GET /v2/ HTTP/1.1\r\n\r\n", 400)] // HTTP/1.1 without Host (RFC 9112 §3.2)
    [InlineData("GET /v2/ HTTP/1.1\r\nHost: evil.example\r\n\r\n", 400)] // not this server's name: DNS rebinding
    [InlineData("GET /v2/ HTTP/2.0\r\nHost: {host}\r\n\r\n", 505)]
    [InlineData("GET /v2/ FTP/1.1\r\nHost: {host}\r\n\r\n", 400)]
    [InlineData("GET  /v2/ HTTP/1.1\r\nHost: {host}\r\n\r\n", 400)]
    [InlineData("GET /v2/ HTTP/1.1\r\nHost: {host}\r\nBad Header: x\r\n\r\n", 400)]
    [InlineData("GET /v2/ HTTP/1.1\r\nHost: {host}\r\n folded: x\r\n\r\n", 400)]
    [InlineData("POST /v2/ HTTP/1.1\r\nHost: {host}\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400)] // smuggling
    [InlineData("POST /v2/ HTTP/1.1\r\nHost: {host}\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", 400)]
    [InlineData("POST /v2/ HTTP/1.1\r\nHost: {host}\r\nContent-Length: -1\r\n\r\n", 400)]
    [InlineData("POST /v2/ HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: gzip\r\n\r\n", 501)]
    [InlineData("GET /v2/ HTTP/1.1\r\nHost: {host}\r\n\r\n", 200)]
    [InlineData("GET /v2/ HTTP/1.1\nHost: {host}\n\n", 200)] // bare LF, which RFC 9112 §2.2 lets a server accept
    [InlineData("GET /v2/ HTTP/1.0\r\n\r\n", 200)]
    public async Task RequestHead_MalformedOrForeign_GetsAClearStatus(string request, int expected)
    {
        await using var registry = await RegistryUnderTest.StartAsync();
        using var client = await RawClient.ConnectAsync(registry.Server);

        await client.SendAsync(Encoding.ASCII.GetBytes(request.Replace("{host}", registry.Server.Host, StringComparison.Ordinal)));

        Assert.Equal(expected, await client.ReadStatusAsync());
    }

    [Fact]
    public async Task TlsClientHello_IsRefusedAtOnce()
    {
        // skopeo, crane and docker try HTTPS first and fall back to HTTP only after the handshake fails: waiting for
        // the header timeout would cost every one of their commands that long (Go gives up after 10 s).
        await using var registry = await RegistryUnderTest.StartAsync();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, registry.Server.Port);
        using var tls = new System.Net.Security.SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        var clock = Stopwatch.StartNew();

        var handshake = tls.AuthenticateAsClientAsync("127.0.0.1");
        var finished = await Task.WhenAny(handshake, Task.Delay(TimeSpan.FromSeconds(5)));

        Assert.Same(handshake, finished);
        await Assert.ThrowsAnyAsync<Exception>(() => handshake);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"the handshake failed only after {clock.Elapsed}");
    }

    [Fact]
    public async Task ChunkedRequestBody_IsDecoded()
    {
        await using var registry = await WritableRegistry.StartAsync();
        using var client = await RawClient.ConnectAsync(registry.Server);
        var blob = "hello, chunks"u8.ToArray();
        var digest = OciRegistry.Core.References.Digest.Compute(blob);

        await client.SendAsync(Encoding.ASCII.GetBytes(
            $"POST /v2/{WritableRegistry.Name}/blobs/uploads/?digest={digest} HTTP/1.1\r\nHost: {registry.Server.Host}\r\n" +
            "Transfer-Encoding: chunked\r\nContent-Type: application/octet-stream\r\n\r\n" +
            "5;ext=1\r\nhello\r\n8\r\n, chunks\r\n0\r\nTrailer: x\r\n\r\n"));

        Assert.Equal(201, await client.ReadStatusAsync());
        Assert.Equal(blob, await registry.Http.GetByteArrayAsync($"/v2/{WritableRegistry.Name}/blobs/{digest}"));
    }

    [Fact]
    public async Task ExpectContinue_GetsA100BeforeTheBody()
    {
        await using var registry = await WritableRegistry.StartAsync();
        using var client = await RawClient.ConnectAsync(registry.Server);
        var blob = "continued"u8.ToArray();
        var digest = OciRegistry.Core.References.Digest.Compute(blob);

        await client.SendAsync(Encoding.ASCII.GetBytes(
            $"POST /v2/{WritableRegistry.Name}/blobs/uploads/?digest={digest} HTTP/1.1\r\nHost: {registry.Server.Host}\r\n" +
            $"Expect: 100-continue\r\nContent-Length: {blob.Length}\r\n\r\n"));
        Assert.Equal(100, await client.ReadStatusAsync());
        await client.SendAsync(blob);

        Assert.Equal(201, await client.ReadStatusAsync());
    }

    [Fact]
    public async Task UploadStart_WithoutContentLength_IsAnEmptyBody()
    {
        // RFC 9112 §6.3: a request with neither Content-Length nor Transfer-Encoding has no body. Clients such as
        // curl -X POST send exactly this to open an upload; HttpListener answered it with 411.
        await using var registry = await WritableRegistry.StartAsync();
        using var client = await RawClient.ConnectAsync(registry.Server);

        await client.SendAsync(Encoding.ASCII.GetBytes(
            $"POST /v2/{WritableRegistry.Name}/blobs/uploads/ HTTP/1.1\r\nHost: {registry.Server.Host}\r\n\r\n"));

        Assert.Equal(202, await client.ReadStatusAsync());
    }

    [Fact]
    public async Task KeepAlive_PipelinedRequests_AreAnsweredInOrder()
    {
        await using var registry = await RegistryUnderTest.StartAsync();
        using var client = await RawClient.ConnectAsync(registry.Server);
        var host = registry.Server.Host;

        await client.SendAsync(Encoding.ASCII.GetBytes(
            $"HEAD {registry.ManifestPath} HTTP/1.1\r\nHost: {host}\r\n\r\n" +
            $"GET /v2/{RegistryUnderTest.Repository}/manifests/missing HTTP/1.1\r\nHost: {host}\r\n\r\n" +
            $"GET /v2/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"));

        Assert.Equal(200, await client.ReadStatusAsync(skipBody: false, head: true));
        Assert.Equal(404, await client.ReadStatusAsync(skipBody: true));
        Assert.Equal(200, await client.ReadStatusAsync(skipBody: true));
        Assert.True(await client.IsClosedAsync());
    }

    private static byte[] RequestLine(int length)
    {
        var line = new byte[length];
        Encoding.ASCII.GetBytes("GET /").CopyTo(line, 0);
        line.AsSpan(5).Fill((byte)'a');
        return line;
    }
}

/// <summary>Test classes that measure the whole process (allocations, open files) run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "Serial";
}
