using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;

namespace OciRegistry.TestRegistry.Tls;

/// <summary>
/// Sits between a TLS 1.2 <see cref="System.Net.Security.SslStream"/> and the socket of a registry that requires
/// client certificates, reads the client's handshake as it passes (it is plaintext in TLS 1.2 until the client's
/// ChangeCipherSpec), and when the client's Certificate message holds no certificate, or one that does not chain to
/// the registry's authority, sends a fatal <c>bad_certificate</c> alert and fails the handshake.
/// </summary>
/// <remarks>
/// Why: SslStream on Linux and macOS validates a client's certificate after OpenSSL finished the handshake and then
/// closes the connection without an alert (dotnet/runtime#18837), so a client sees only "the connection closed" and
/// cannot tell that a certificate was wanted. An alert is what Go's and OpenSSL's servers send, and what clients
/// (ours, skopeo, curl) report as a certificate problem. In TLS 1.3 the client's certificate is encrypted, hence TLS
/// 1.2 for this listener. RFC 5246 §6.2.1 (records), §7.2 (alerts), §7.4.6 (client Certificate).
/// </remarks>
internal sealed class ClientCertificateGate(Stream inner, Func<X509Certificate2, bool> trusted) : Http.InterceptingStream(inner)
{
    private const byte ChangeCipherSpec = 20;
    private const byte Alert = 21;
    private const byte Handshake = 22;
    private const byte CertificateMessage = 11;
    private const byte ClientKeyExchange = 16;
    private const byte BadCertificate = 42;

    /// <summary>The most handshake bytes held while waiting for the Certificate message: far above any client's chain.</summary>
    internal const int MaxHandshakeBytes = 256 * 1024;

    // Unencrypted, as everything the server sent so far: level fatal, description bad_certificate.
    private static readonly byte[] AlertRecord = [Alert, 3, 3, 0, 2, 2, BadCertificate];

    private readonly List<byte> _records = [];
    private readonly List<byte> _handshake = [];
    private bool _decided;

    // .NET Framework's SslStream reads through BeginRead, which the base class runs on Read.
    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = Inner.Read(buffer, offset, count);
        if (Observe(buffer, offset, read) is { } refusal)
        {
            Inner.Write(AlertRecord, 0, AlertRecord.Length);
            Inner.Flush();
            throw new AuthenticationException(refusal);
        }

        return read;
    }

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        var read = await Inner.ReadAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false);
        if (Observe(buffer, offset, read) is { } refusal)
        {
            await Inner.WriteAsync(AlertRecord, 0, AlertRecord.Length, cancellationToken).ConfigureAwait(false);
            await Inner.FlushAsync(cancellationToken).ConfigureAwait(false);
            throw new AuthenticationException(refusal);
        }

        return read;
    }

    // What the client sent, until the verdict: why it is refused, or null.
    private string? Observe(byte[] buffer, int offset, int read)
    {
        if (_decided || read <= 0)
        {
            return null;
        }

        for (var i = 0; i < read; i++)
        {
            _records.Add(buffer[offset + i]);
        }

        return Inspect();
    }

    // Cuts whole records off the front, gathers handshake bytes, and judges the client's Certificate message once it
    // is complete. Null: no verdict yet, or the certificate is trusted (then the gate opens for good).
    private string? Inspect()
    {
        while (!_decided && _records.Count >= 5)
        {
            var length = (_records[3] << 8) | _records[4];
            if (_records.Count < 5 + length)
            {
                return null;
            }

            var type = _records[0];
            if (type == Handshake)
            {
                _handshake.AddRange(_records.GetRange(5, length));
            }

            _records.RemoveRange(0, 5 + length);
            if (_handshake.Count > MaxHandshakeBytes)
            {
                _decided = true;
                return "the client's handshake messages are too large";
            }

            if (type == ChangeCipherSpec || (type != Handshake && type != Alert))
            {
                // Past the plaintext part without a Certificate message: SslStream's own check decides.
                _decided = true;
                return null;
            }

            while (!_decided && _handshake.Count >= 4)
            {
                var messageLength = (_handshake[1] << 16) | (_handshake[2] << 8) | _handshake[3];
                if (_handshake.Count < 4 + messageLength)
                {
                    break;
                }

                var message = _handshake[0];
                var body = _handshake.GetRange(4, messageLength).ToArray();
                _handshake.RemoveRange(0, 4 + messageLength);
                if (message == ClientKeyExchange)
                {
                    _decided = true;
                    return "the client sent no Certificate message";
                }

                if (message == CertificateMessage)
                {
                    _decided = true;
                    return Judge(body);
                }
            }
        }

        return null;
    }

    // struct { ASN.1Cert certificate_list<0..2^24-1>; } with each ASN.1Cert as opaque<1..2^24-1>.
    private string? Judge(byte[] body)
    {
        if (body.Length < 6)
        {
            return "the client offered no certificate";
        }

        var first = (body[3] << 16) | (body[4] << 8) | body[5];
        if (first <= 0 || 6 + first > body.Length)
        {
            return "the client's Certificate message is malformed";
        }

        var der = new byte[first];
        Buffer.BlockCopy(body, 6, der, 0, first);
        try
        {
            using var certificate = new X509Certificate2(der);
            return trusted(certificate) ? null : $"the client certificate '{certificate.Subject}' was not issued by this registry's authority for client authentication";
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return "the client's certificate could not be read";
        }
    }
}
