using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Authentication;
using System.Threading.Tasks;
using OciRegistry.TestRegistry.Tls;

namespace OciRegistry.Core.Tests.TestRegistry;

public sealed class ClientCertificateGateTests
{
    private static readonly byte[] Alert = [21, 3, 3, 0, 2, 2, 42];

    // A TLS 1.2 handshake record (type 22, version 3.3) around handshake messages.
    private static byte[] Record(byte type, byte[] content) =>
        [type, 3, 3, (byte)(content.Length >> 8), (byte)content.Length, .. content];

    private static byte[] Message(byte type, byte[] body) =>
        [type, (byte)(body.Length >> 16), (byte)(body.Length >> 8), (byte)body.Length, .. body];

    private static byte[] Uint24(int value) => [(byte)(value >> 16), (byte)(value >> 8), (byte)value];

    private static byte[] CertificateMessage(params byte[][] certificates)
    {
        var list = certificates.SelectMany(c => Uint24(c.Length).Concat(c)).ToArray();
        return Message(11, [.. Uint24(list.Length), .. list]);
    }

    private static (ClientCertificateGate Gate, MemoryStream Written) Gate(byte[] input, Func<byte[], bool> trusted, int chunk)
    {
        var network = new ScriptedStream(input, chunk);
        return (new ClientCertificateGate(network, c => trusted(c.RawData)), network.Written);
    }

    private static async Task<int> DrainAsync(Stream stream)
    {
        var total = 0;
        var buffer = new byte[4096];
        for (int read; (read = await stream.ReadAsync(buffer, 0, buffer.Length)) > 0;)
        {
            total += read;
        }

        return total;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4096)]
    public async Task Read_TrustedCertificate_PassesEveryByteAndSendsNothing(int chunk)
    {
        using var authority = Core.Tests.Tls.TestPki.Authority("gate CA");
        using var client = Core.Tests.Tls.TestPki.Leaf(authority, "client");
        var hello = Record(22, Message(1, [1, 2, 3]));
        // The Certificate message split over two records, followed in the second by ClientKeyExchange.
        var certificate = CertificateMessage(client.RawData);
        var input = hello.Concat(Record(22, certificate[..10])).Concat(Record(22, [.. certificate[10..], .. Message(16, [9, 9])])).Concat(Record(20, [1])).ToArray();
        var (gate, written) = Gate(input, raw => raw.SequenceEqual(client.RawData), chunk);

        Assert.Equal(input.Length, await DrainAsync(gate));
        Assert.Equal(0, written.Length);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4096)]
    public async Task Read_UntrustedCertificate_SendsBadCertificateAndFails(int chunk)
    {
        using var authority = Core.Tests.Tls.TestPki.Authority("gate CA");
        using var client = Core.Tests.Tls.TestPki.Leaf(authority, "client");
        var input = Record(22, [.. Message(1, [1]), .. CertificateMessage(client.RawData), .. Message(16, [9])]);
        var (gate, written) = Gate(input, _ => false, chunk);

        var failure = await Assert.ThrowsAsync<AuthenticationException>(() => DrainAsync(gate));
        Assert.Contains("was not issued by this registry's authority", failure.Message, StringComparison.Ordinal);
        Assert.Equal(Alert, written.ToArray());
    }

    [Fact]
    public async Task Read_EmptyCertificateList_SendsBadCertificate()
    {
        var input = Record(22, [.. CertificateMessage(), .. Message(16, [9])]);
        var (gate, written) = Gate(input, _ => true, 4096);

        await Assert.ThrowsAsync<AuthenticationException>(() => DrainAsync(gate));
        Assert.Equal(Alert, written.ToArray());
    }

    [Fact]
    public async Task Read_ClientKeyExchangeWithoutCertificate_SendsBadCertificate()
    {
        var input = Record(22, Message(16, [9]));
        var (gate, written) = Gate(input, _ => true, 4096);

        await Assert.ThrowsAsync<AuthenticationException>(() => DrainAsync(gate));
        Assert.Equal(Alert, written.ToArray());
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 3, 0, 0, 9, 1, 2, 3 })] // a certificate longer than the list
    [InlineData(new byte[] { 0, 0, 3, 0, 0, 3, 1, 2, 3 })] // three bytes that are no certificate
    public async Task Read_MalformedCertificateMessage_FailsCleanly(byte[] body)
    {
        var (gate, written) = Gate(Record(22, Message(11, body)), _ => true, 4096);

        await Assert.ThrowsAsync<AuthenticationException>(() => DrainAsync(gate));
        Assert.Equal(Alert, written.ToArray());
    }

    [Fact]
    public void Read_Synchronous_JudgesToo()
    {
        var (gate, written) = Gate(Record(22, Message(16, [9])), _ => true, 4096);

        Assert.Throws<AuthenticationException>(() => gate.Read(new byte[64], 0, 64));
        Assert.Equal(Alert, written.ToArray());
    }

    [Fact]
    public async Task Read_HugeHandshakeMessage_IsRefusedBeforeItIsHeld()
    {
        // A message that claims 16 MB, sent in full records: refused once the cap is passed, not buffered to the end.
        var records = new List<byte>(Record(22, [11, 0xFF, 0xFF, 0xFF, .. new byte[16000]]));
        for (var i = 0; i < ClientCertificateGate.MaxHandshakeBytes / 16000 + 1; i++)
        {
            records.AddRange(Record(22, new byte[16000]));
        }

        var (gate, written) = Gate([.. records], _ => true, 4096);

        var failure = await Assert.ThrowsAsync<AuthenticationException>(() => DrainAsync(gate));
        Assert.Contains("too large", failure.Message, StringComparison.Ordinal);
        Assert.Equal(Alert, written.ToArray());
    }

    [Fact]
    public async Task Read_AfterChangeCipherSpec_StopsLooking()
    {
        // Encrypted records after ChangeCipherSpec may look like anything: they pass untouched.
        var input = Record(20, [1]).Concat(Record(22, Message(16, [9]))).ToArray();
        var (gate, written) = Gate(input, _ => false, 4096);

        Assert.Equal(input.Length, await DrainAsync(gate));
        Assert.Equal(0, written.Length);
    }

    // Hands out the input in chunks of a given size and keeps what is written.
    private sealed class ScriptedStream(byte[] input, int chunk) : Stream
    {
        private readonly Queue<byte> _input = new(input);

        public MemoryStream Written { get; } = new();

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(count, chunk), _input.Count);
            for (var i = 0; i < n; i++)
            {
                buffer[offset + i] = _input.Dequeue();
            }

            return n;
        }

        public override void Write(byte[] buffer, int offset, int count) => Written.Write(buffer, offset, count);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
