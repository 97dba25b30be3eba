using System;
using System.Collections.Generic;
using System.Net;
using System.Text;

namespace OciRegistry.TestRegistry.Tls;

/// <summary>
/// The few DER encodings (ITU-T X.690 §8 and §10) that the test registry's certificates need and netstandard2.0
/// cannot produce: a subject alternative name (SubjectAlternativeNameBuilder is .NET Core 2.0 / .NET Framework 4.7.2
/// only), an authority key identifier, and an RSA private key as PKCS #1 (ExportRSAPrivateKey is .NET Core 3.0+).
/// </summary>
internal static class DerWriter
{
    private const byte Sequence = 0x30;
    private const byte Integer = 0x02;

    /// <summary>
    /// SubjectAltName ::= GeneralNames ::= SEQUENCE OF GeneralName, with dNSName [2] IA5String and iPAddress [7]
    /// OCTET STRING, both implicitly tagged (RFC 5280 §4.2.1.6).
    /// </summary>
    public static byte[] SubjectAlternativeName(IEnumerable<string> dnsNames, IEnumerable<IPAddress> addresses)
    {
        var names = new List<byte[]>();
        foreach (var name in dnsNames)
        {
            names.Add(Tlv(0x82, Encoding.ASCII.GetBytes(name)));
        }

        foreach (var address in addresses)
        {
            names.Add(Tlv(0x87, address.GetAddressBytes()));
        }

        return Tlv(Sequence, Concat(names));
    }

    /// <summary>AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] KeyIdentifier OPTIONAL, … } (RFC 5280 §4.2.1.1).</summary>
    public static byte[] AuthorityKeyIdentifier(byte[] keyIdentifier) => Tlv(Sequence, Tlv(0x80, keyIdentifier));

    /// <summary>RSAPrivateKey (RFC 8017 appendix A.1.2), version 0 (two primes).</summary>
    public static byte[] RsaPrivateKey(System.Security.Cryptography.RSAParameters key)
    {
        var fields = new[] { new byte[] { 0 }, key.Modulus, key.Exponent, key.D, key.P, key.Q, key.DP, key.DQ, key.InverseQ };
        var encoded = new List<byte[]>();
        foreach (var field in fields)
        {
            encoded.Add(UnsignedInteger(field ?? throw new ArgumentException("the RSA key has no private part", nameof(key))));
        }

        return Tlv(Sequence, Concat(encoded));
    }

    /// <summary>PEM text (RFC 7468): the base64 body in lines of 64 characters between BEGIN and END lines.</summary>
    public static string Pem(string label, byte[] der)
    {
        var base64 = Convert.ToBase64String(der);
        var text = new StringBuilder("-----BEGIN ").Append(label).Append("-----\n");
        for (var i = 0; i < base64.Length; i += 64)
        {
            text.Append(base64, i, Math.Min(64, base64.Length - i)).Append('\n');
        }

        return text.Append("-----END ").Append(label).Append("-----\n").ToString();
    }

    // A big-endian unsigned value as a DER INTEGER: leading zero bytes dropped, one added back when the top bit is set.
    internal static byte[] UnsignedInteger(byte[] value)
    {
        var start = 0;
        while (start < value.Length - 1 && value[start] == 0)
        {
            start++;
        }

        var pad = (value[start] & 0x80) != 0 ? 1 : 0;
        var content = new byte[value.Length - start + pad];
        Buffer.BlockCopy(value, start, content, pad, value.Length - start);
        return Tlv(Integer, content);
    }

    internal static byte[] Tlv(byte tag, byte[] content)
    {
        var length = Length(content.Length);
        var result = new byte[1 + length.Length + content.Length];
        result[0] = tag;
        Buffer.BlockCopy(length, 0, result, 1, length.Length);
        Buffer.BlockCopy(content, 0, result, 1 + length.Length, content.Length);
        return result;
    }

    // Short form below 128, else 0x80 | the number of length bytes, then the length big-endian (X.690 §8.1.3).
    private static byte[] Length(int length)
    {
        if (length < 0x80)
        {
            return [(byte)length];
        }

        var bytes = new List<byte>();
        for (var rest = length; rest > 0; rest >>= 8)
        {
            bytes.Insert(0, (byte)(rest & 0xFF));
        }

        bytes.Insert(0, (byte)(0x80 | bytes.Count));
        return [.. bytes];
    }

    private static byte[] Concat(List<byte[]> parts)
    {
        var total = 0;
        foreach (var part in parts)
        {
            total += part.Length;
        }

        var result = new byte[total];
        var offset = 0;
        foreach (var part in parts)
        {
            Buffer.BlockCopy(part, 0, result, offset, part.Length);
            offset += part.Length;
        }

        return result;
    }
}
