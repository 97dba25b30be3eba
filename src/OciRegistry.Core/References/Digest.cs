using System;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace OciRegistry.Core.References;

/// <summary>
/// A content digest such as <c>sha256:…</c>: the algorithm and its lowercase hex encoding.
/// </summary>
/// <remarks>
/// Grammar and registered algorithms: https://github.com/opencontainers/image-spec/blob/main/descriptor.md#digests.
/// Only sha256 and sha512 are accepted: a digest we cannot compute is a digest we cannot verify.
/// </remarks>
public sealed class Digest : IEquatable<Digest>
{
    /// <summary>The generic grammar <c>algorithm ":" encoded</c>, before the algorithm's own rules.</summary>
    internal const string Pattern = "[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+";

    // \z, not $: in .NET '$' also matches before a final '\n', which would let "sha256:<63 hex>\n" through.
    private static readonly Regex Grammar = new("^" + Pattern + "\\z", RegexOptions.CultureInvariant);
    private static readonly Regex LowerHex = new("^[a-f0-9]+\\z", RegexOptions.CultureInvariant);

    private Digest(string algorithm, string encoded)
    {
        Algorithm = algorithm;
        Encoded = encoded;
    }

    /// <summary>The algorithm: <c>sha256</c> or <c>sha512</c>.</summary>
    public string Algorithm { get; }

    /// <summary>The lowercase hex encoding of the hash.</summary>
    public string Encoded { get; }

    /// <summary>A name safe for any file system: <c>sha256-&lt;hex&gt;</c>.</summary>
    public string FileName => Algorithm + "-" + Encoded;

    /// <summary>Parses <paramref name="text"/> or throws <see cref="InvalidReferenceException"/> saying why not.</summary>
    public static Digest Parse(string text)
    {
        if (!TryParse(text, out var digest, out var problem))
        {
            throw new InvalidReferenceException(text ?? string.Empty, problem);
        }

        return digest;
    }

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="problem"/> says why.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out Digest? digest, [NotNullWhen(false)] out string? problem)
    {
        digest = null;
        if (string.IsNullOrEmpty(text))
        {
            problem = "the digest is empty";
            return false;
        }

        if (text!.Length > 256 || !Grammar.IsMatch(text))
        {
            problem = "a digest has the form 'algorithm:hex', such as 'sha256:' followed by 64 hex digits";
            return false;
        }

        var colon = text.IndexOf(':');
        var algorithm = text.Substring(0, colon);
        var encoded = text.Substring(colon + 1);
        var expectedLength = HexLength(algorithm);
        if (expectedLength == 0)
        {
            problem = $"the digest algorithm '{algorithm}' is not supported (use sha256 or sha512)";
            return false;
        }

        if (encoded.Length != expectedLength || !LowerHex.IsMatch(encoded))
        {
            problem = $"a {algorithm} digest has exactly {expectedLength} lowercase hex digits";
            return false;
        }

        digest = new Digest(algorithm, encoded);
        problem = null;
        return true;
    }

    /// <summary>The sha256 digest of <paramref name="content"/>.</summary>
    public static Digest Compute(byte[] content) => Compute("sha256", content);

    /// <summary>The digest of <paramref name="content"/> with the named algorithm.</summary>
    public static Digest Compute(string algorithm, byte[] content)
    {
        if (content is null)
        {
            throw new ArgumentNullException(nameof(content));
        }

        using var hash = CreateHash(algorithm);
        hash.AppendData(content);
        return FromHash(algorithm, hash.GetHashAndReset());
    }

    /// <summary>A digest with this one's algorithm over <paramref name="content"/>.</summary>
    public Digest ComputeSame(byte[] content) => Compute(Algorithm, content);

    /// <summary>An incremental hasher for this digest's algorithm, for content that streams.</summary>
    public IncrementalHash CreateHash() => CreateHash(Algorithm);

    /// <summary>Builds a digest from a finished hash.</summary>
    public static Digest FromHash(string algorithm, byte[] hash)
    {
        if (hash is null)
        {
            throw new ArgumentNullException(nameof(hash));
        }

        var expected = HexLength(algorithm);
        if (expected == 0)
        {
            // Checked on its own: an unknown algorithm has length 0, which an empty array would otherwise match.
            throw new ArgumentException($"the digest algorithm '{algorithm}' is not supported", nameof(algorithm));
        }

        if (expected != hash.Length * 2)
        {
            throw new ArgumentException($"a {algorithm} hash is not {hash.Length} bytes long", nameof(hash));
        }

        var chars = new char[hash.Length * 2];
        const string Hex = "0123456789abcdef";
        for (var i = 0; i < hash.Length; i++)
        {
            chars[2 * i] = Hex[hash[i] >> 4];
            chars[(2 * i) + 1] = Hex[hash[i] & 0xF];
        }

        return new Digest(algorithm, new string(chars));
    }

    private static IncrementalHash CreateHash(string algorithm) => algorithm switch
    {
        "sha256" => IncrementalHash.CreateHash(HashAlgorithmName.SHA256),
        "sha512" => IncrementalHash.CreateHash(HashAlgorithmName.SHA512),
        _ => throw new ArgumentException($"the digest algorithm '{algorithm}' is not supported", nameof(algorithm)),
    };

    private static int HexLength(string algorithm) => algorithm switch
    {
        "sha256" => 64,
        "sha512" => 128,
        _ => 0,
    };

    /// <inheritdoc/>
    public bool Equals(Digest? other) =>
        other is not null && Algorithm == other.Algorithm && Encoded == other.Encoded;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Digest);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Encoded);

    /// <summary>The digest as <c>algorithm:hex</c>.</summary>
    public override string ToString() => Algorithm + ":" + Encoded;

    /// <summary>Equality by value.</summary>
    public static bool operator ==(Digest? left, Digest? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Inequality by value.</summary>
    public static bool operator !=(Digest? left, Digest? right) => !(left == right);
}
