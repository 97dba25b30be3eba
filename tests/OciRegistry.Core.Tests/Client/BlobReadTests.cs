using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using OciRegistry.Core.Client;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Tests.Client;

public sealed class BlobReadTests
{
    private static readonly byte[] Config = Encoding.UTF8.GetBytes("""{"architecture":"amd64","os":"linux"}""");
    private static readonly Digest ConfigDigest = Digest.Compute(Config);
    private static readonly Reference Repository = Reference.ParseRepository(FakeNetwork.Registry + "/team/app");

    [Fact]
    public async Task ReadBlobAsync_MatchingContent_ReturnsTheBytes()
    {
        var network = new FakeNetwork(_ => FakeNetwork.Bytes(Config));
        using var client = network.Client();

        var bytes = await client.ReadBlobAsync(Repository, ConfigDigest, expectedSize: Config.Length);

        Assert.Equal(Config, bytes);
        Assert.Equal($"/v2/team/app/blobs/{ConfigDigest}", Assert.Single(network.Requests).Uri.AbsolutePath);
    }

    [Fact]
    public async Task ReadBlobAsync_Sha512_IsVerifiedWithSha512()
    {
        var digest = Digest.Compute("sha512", Config);
        using var client = new FakeNetwork(_ => FakeNetwork.Bytes(Config)).Client();

        Assert.Equal(Config, await client.ReadBlobAsync(Repository, digest));
    }

    [Fact]
    public async Task ReadBlobAsync_OtherContent_FailsVerification()
    {
        using var client = new FakeNetwork(_ => FakeNetwork.Bytes(Encoding.UTF8.GetBytes("tampered"))).Client();

        var e = await Assert.ThrowsAsync<ContentVerificationException>(() => client.ReadBlobAsync(Repository, ConfigDigest));

        Assert.Equal(ConfigDigest, e.Expected);
        Assert.NotNull(e.Actual);
    }

    [Fact]
    public async Task ReadBlobAsync_SizeOtherThanTheDescriptors_FailsVerification()
    {
        using var client = new FakeNetwork(_ => FakeNetwork.Bytes(Config)).Client();

        var e = await Assert.ThrowsAsync<ContentVerificationException>(() => client.ReadBlobAsync(Repository, ConfigDigest, expectedSize: Config.Length + 1));

        Assert.Contains("its descriptor says", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadBlobAsync_DescriptorSizeOverTheCap_FailsWithoutARequest()
    {
        var network = new FakeNetwork(_ => FakeNetwork.Bytes(Config));
        using var client = network.Client();

        var e = await Assert.ThrowsAsync<ContentTooLargeException>(() => client.ReadBlobAsync(Repository, ConfigDigest, maxBytes: 10, expectedSize: 11));

        Assert.Equal(10, e.Limit);
        Assert.Empty(network.Requests);
    }

    [Fact]
    public async Task ReadBlobAsync_AnnouncedLengthOverTheCap_FailsBeforeReading()
    {
        using var client = new FakeNetwork(_ => FakeNetwork.Bytes(new byte[100])).Client();

        var e = await Assert.ThrowsAsync<ContentTooLargeException>(() => client.ReadBlobAsync(Repository, ConfigDigest, maxBytes: 50));

        Assert.Equal(100, e.Size);
    }

    [Fact]
    public async Task ReadBlobAsync_UnannouncedBodyOverTheCap_StopsAtTheCap()
    {
        var endless = new EndlessStream();
        using var client = new FakeNetwork(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(endless) }).Client();

        await Assert.ThrowsAsync<ContentTooLargeException>(() => client.ReadBlobAsync(Repository, ConfigDigest, maxBytes: 1000));

        Assert.True(endless.Served < 64 * 1024, $"read {endless.Served} bytes for a cap of 1000");
    }

    [Fact]
    public async Task ReadBlobAsync_Unknown_IsNotFound()
    {
        using var client = new FakeNetwork(_ => FakeNetwork.Error(404, "BLOB_UNKNOWN", "blob unknown")).Client();

        var e = await Assert.ThrowsAsync<RegistryResponseException>(() => client.ReadBlobAsync(Repository, ConfigDigest));

        Assert.True(e.IsNotFound);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(Limits.MaxBlobReadBytes + 1)]
    public async Task ReadBlobAsync_CapOutOfRange_IsRefused(long cap)
    {
        using var client = new FakeNetwork(_ => FakeNetwork.Bytes(Config)).Client();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.ReadBlobAsync(Repository, ConfigDigest, maxBytes: cap));
    }

    private sealed class EndlessStream : Stream
    {
        public long Served { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => Served; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            Array.Fill(buffer, (byte)'x', offset, count);
            Served += count;
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
