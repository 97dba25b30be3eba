using System;
using System.Security.Cryptography;
using System.Text;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Tests.References;

public sealed class DigestTests
{
    private const string Sha256Empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private const string Sha256Abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    private const string Sha512Empty = "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e";
    private const string Sha512Abc = "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f";

    [Theory]
    [InlineData("sha256:" + Sha256Abc, "sha256", Sha256Abc)]
    [InlineData("sha512:" + Sha512Abc, "sha512", Sha512Abc)]
    public void Parse_ValidDigest_SplitsAlgorithmAndHex(string text, string algorithm, string encoded)
    {
        var digest = Digest.Parse(text);

        Assert.Equal(algorithm, digest.Algorithm);
        Assert.Equal(encoded, digest.Encoded);
        Assert.Equal(text, digest.ToString());
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("sha256:", "algorithm:hex")]
    [InlineData(":" + Sha256Abc, "algorithm:hex")]
    [InlineData("sha256" + Sha256Abc, "algorithm:hex")]
    [InlineData("sha256:abc", "64 lowercase hex")]
    [InlineData("sha256:" + Sha256Abc + "0", "64 lowercase hex")]
    [InlineData("sha256:" + Sha512Abc, "64 lowercase hex")]
    [InlineData("sha512:" + Sha256Abc, "128 lowercase hex")]
    [InlineData("sha256:BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD", "lowercase")]
    [InlineData("sha256:ga7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "lowercase")]
    [InlineData("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a\n", "algorithm:hex")]
    [InlineData("SHA256:" + Sha256Abc, "algorithm:hex")]
    [InlineData("md5:900150983cd24fb0d6963f7d28e17f72", "not supported")]
    [InlineData("sha384:cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7", "not supported")]
    [InlineData("blake3:" + Sha256Abc, "not supported")]
    [InlineData(" sha256:" + Sha256Abc, "algorithm:hex")]
    [InlineData("sha256:" + Sha256Abc + " ", "algorithm:hex")]
    [InlineData("sha256::" + Sha256Abc, "algorithm:hex")]
    public void Parse_InvalidDigest_ThrowsSayingWhy(string text, string problemPart)
    {
        var e = Assert.Throws<InvalidReferenceException>(() => Digest.Parse(text));

        Assert.Contains(problemPart, e.Problem, StringComparison.Ordinal);
        Assert.False(Digest.TryParse(text, out var digest, out var problem));
        Assert.Null(digest);
        Assert.Equal(e.Problem, problem);
    }

    [Fact]
    public void Parse_VeryLongInput_ThrowsWithoutEchoingAllOfIt()
    {
        var e = Assert.Throws<InvalidReferenceException>(() => Digest.Parse("sha256:" + new string('a', 10_000)));

        Assert.True(e.Message.Length < 600);
    }

    [Fact]
    public void Parse_Null_ThrowsInvalidReferenceException()
    {
        Assert.Throws<InvalidReferenceException>(() => Digest.Parse(null!));
    }

    [Theory]
    [InlineData("", "sha256", Sha256Empty)]
    [InlineData("abc", "sha256", Sha256Abc)]
    [InlineData("", "sha512", Sha512Empty)]
    [InlineData("abc", "sha512", Sha512Abc)]
    public void Compute_KnownVector_GivesKnownDigest(string content, string algorithm, string expected)
    {
        var digest = Digest.Compute(algorithm, Encoding.ASCII.GetBytes(content));

        Assert.Equal(algorithm + ":" + expected, digest.ToString());
    }

    [Fact]
    public void Compute_NoAlgorithm_UsesSha256()
    {
        Assert.Equal("sha256:" + Sha256Abc, Digest.Compute("abc"u8.ToArray()).ToString());
    }

    [Fact]
    public void ComputeSame_Sha512Digest_HashesWithSha512()
    {
        var digest = Digest.Parse("sha512:" + Sha512Empty);

        Assert.Equal(digest, digest.ComputeSame("abc"u8.ToArray()).ComputeSame([]));
        Assert.Equal("sha512:" + Sha512Abc, digest.ComputeSame("abc"u8.ToArray()).ToString());
    }

    [Fact]
    public void CreateHash_StreamedInPieces_MatchesCompute()
    {
        var digest = Digest.Parse("sha256:" + Sha256Abc);
        using var hash = digest.CreateHash();
        hash.AppendData("a"u8.ToArray());
        hash.AppendData("bc"u8.ToArray());

        Assert.Equal(digest, Digest.FromHash("sha256", hash.GetHashAndReset()));
    }

    [Theory]
    [InlineData("md5")]
    [InlineData("SHA256")]
    [InlineData("")]
    public void Compute_UnsupportedAlgorithm_ThrowsArgumentException(string algorithm)
    {
        Assert.Throws<ArgumentException>(() => Digest.Compute(algorithm, []));
    }

    [Fact]
    public void FromHash_Sha256Bytes_MatchesCompute()
    {
        var bytes = "abc"u8.ToArray();

        Assert.Equal(Digest.Compute(bytes), Digest.FromHash("sha256", SHA256.HashData(bytes)));
        Assert.Equal(Digest.Compute("sha512", bytes), Digest.FromHash("sha512", SHA512.HashData(bytes)));
    }

    [Theory]
    [InlineData("sha256", 31)]
    [InlineData("sha256", 64)]
    [InlineData("sha512", 32)]
    [InlineData("md5", 16)]
    [InlineData("md5", 0)]
    [InlineData("", 0)]
    public void FromHash_WrongLengthOrAlgorithm_ThrowsArgumentException(string algorithm, int length)
    {
        Assert.Throws<ArgumentException>(() => Digest.FromHash(algorithm, new byte[length]));
    }

    [Fact]
    public void Equals_SameText_IsEqualWithSameHashCode()
    {
        var a = Digest.Parse("sha256:" + Sha256Abc);
        var b = Digest.Parse("sha256:" + Sha256Abc);
        var c = Digest.Parse("sha256:" + Sha256Empty);

        Assert.True(a == b);
        Assert.False(a != b);
        Assert.True(a.Equals(b));
        Assert.True(a.Equals((object)b));
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, c);
        Assert.True(a != c);
        Assert.False(a == null);
        Assert.False(a.Equals(null));
        Assert.False(a.Equals("sha256:" + Sha256Abc));
        Assert.True((Digest?)null == null);
    }

    [Fact]
    public void FileName_Digest_IsAlgorithmDashHex()
    {
        Assert.Equal("sha256-" + Sha256Abc, Digest.Parse("sha256:" + Sha256Abc).FileName);
        Assert.Equal("sha512-" + Sha512Abc, Digest.Parse("sha512:" + Sha512Abc).FileName);
    }
}
