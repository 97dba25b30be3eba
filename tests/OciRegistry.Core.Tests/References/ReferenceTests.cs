using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using OciRegistry.Core.Client;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Tests.References;

public sealed class ReferenceTests
{
    private const string Hex = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("alpine", "docker.io", "library/alpine", "latest", null, "docker.io/library/alpine:latest")]
    [InlineData("alpine:3.20", "docker.io", "library/alpine", "3.20", null, "docker.io/library/alpine:3.20")]
    [InlineData("user/app", "docker.io", "user/app", "latest", null, "docker.io/user/app:latest")]
    [InlineData("docker.io/library/alpine", "docker.io", "library/alpine", "latest", null, "docker.io/library/alpine:latest")]
    [InlineData("docker.io/alpine", "docker.io", "library/alpine", "latest", null, "docker.io/library/alpine:latest")]
    [InlineData("index.docker.io/x", "docker.io", "library/x", "latest", null, "docker.io/library/x:latest")]
    [InlineData("registry-1.docker.io/org/x:1", "docker.io", "org/x", "1", null, "docker.io/org/x:1")]
    [InlineData("ghcr.io/org/tool:1.4", "ghcr.io", "org/tool", "1.4", null, "ghcr.io/org/tool:1.4")]
    [InlineData("localhost:5000/app@sha256:" + Hex, "localhost:5000", "app", null, "sha256:" + Hex, "localhost:5000/app@sha256:" + Hex)]
    [InlineData("localhost/app", "localhost", "app", "latest", null, "localhost/app:latest")]
    [InlineData("[::1]:5000/a/b:t", "[::1]:5000", "a/b", "t", null, "[::1]:5000/a/b:t")]
    [InlineData("[::1]/a", "[::1]", "a", "latest", null, "[::1]/a:latest")]
    [InlineData("registry.example.com:443/a/b/c:v1.2_3", "registry.example.com:443", "a/b/c", "v1.2_3", null, "registry.example.com:443/a/b/c:v1.2_3")]
    [InlineData("ghcr.io/org/tool:1.4@sha256:" + Hex, "ghcr.io", "org/tool", "1.4", "sha256:" + Hex, "ghcr.io/org/tool:1.4@sha256:" + Hex)]
    [InlineData("Registry/app", "Registry", "app", "latest", null, "Registry/app:latest")]
    [InlineData("MyHost:8080/team/app", "MyHost:8080", "team/app", "latest", null, "MyHost:8080/team/app:latest")]
    [InlineData("127.0.0.1:5000/a:_x", "127.0.0.1:5000", "a", "_x", null, "127.0.0.1:5000/a:_x")]
    [InlineData("a/b__c-d.e/f---g", "docker.io", "a/b__c-d.e/f---g", "latest", null, "docker.io/a/b__c-d.e/f---g:latest")]
    [InlineData("alpine:TAG", "docker.io", "library/alpine", "TAG", null, "docker.io/library/alpine:TAG")]
    public void Parse_ValidReference_Normalises(string text, string registry, string repository, string? tag, string? digest, string normalised)
    {
        var reference = Reference.Parse(text);

        Assert.Equal(registry, reference.Registry);
        Assert.Equal(repository, reference.Repository);
        Assert.Equal(tag, reference.Tag);
        Assert.Equal(digest, reference.Digest?.ToString());
        Assert.Equal(normalised, reference.ToString());
        Assert.Equal(normalised, Reference.Parse(normalised).ToString());
    }

    [Fact]
    public void Parse_TagOf128Characters_IsAccepted()
    {
        var tag = "a" + new string('b', 127);

        Assert.Equal(tag, Reference.Parse("alpine:" + tag).Tag);
    }

    [Fact]
    public void Identifier_TagAndDigest_IsTheTag()
    {
        var reference = Reference.Parse("ghcr.io/org/tool:1.4@sha256:" + Hex);

        Assert.Equal("1.4", reference.Identifier);
        Assert.Equal("sha256:" + Hex, reference.AtDigest(reference.Digest!).Identifier);
    }

    [Fact]
    public void ParseRepository_NoTag_AddsNoLatest()
    {
        var reference = Reference.ParseRepository("ghcr.io/org/tool");

        Assert.Null(reference.Tag);
        Assert.Null(reference.Digest);
        Assert.Equal("ghcr.io/org/tool", reference.ToString());
    }

    public static TheoryData<string, string> InvalidReferences => new()
    {
        { string.Empty, "empty" },
        { " ", "empty" },
        { "\t\r\n", "empty" },
        { "https://x/y", "scheme" },
        { "http://localhost:5000/app", "scheme" },
        { "user/App", "repository" },
        { "ghcr.io/Org/app", "repository" },
        { "a//b", "repository" },
        { "a/", "repository" },
        { "/app", "repository" },
        { ":tag", "repository" },
        { "alpine:", "tag" },
        { "alpine:-bad", "tag" },
        { "alpine:.bad", "tag" },
        { "alpine:b@d", "digest" },
        { "alpine:ba d", "tag" },
        { "alpine:ta/g", "registry" },
        { "alpine:" + new string('a', 129), "tag" },
        { "alpine@", "empty" },
        { "alpine@sha256:abc", "64" },
        { "alpine@sha256:" + Hex + "0", "64" },
        { "alpine@sha256:" + Hex.ToUpperInvariant(), "lowercase" },
        { "alpine@md5:0123456789abcdef0123456789abcdef", "not supported" },
        { "alpine@sha256" + Hex, "algorithm:hex" },
        { "alpine@" + Hex, "algorithm:hex" },
        { "ghcr.io:/app", "registry" },
        { "-bad.io/app", "registry" },
        { "bad-.io/app", "registry" },
        { "ex ample.com/app", "registry" },
        { "[zz]:5000/app", "registry" },
        { "alpïne", "repository" },
        { "café.io/app", "registry" },
        { "ghcr.io/órg/app", "repository" },
        { "alp\u0000ine", "repository" },
        { "alpine\u0007", "repository" },
    };

    [Theory]
    [MemberData(nameof(InvalidReferences))]
    public void Parse_InvalidReference_ThrowsInvalidReferenceExceptionSayingWhy(string text, string problemPart)
    {
        var e = Assert.Throws<InvalidReferenceException>(() => Reference.Parse(text));

        Assert.Contains(problemPart, e.Problem, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(text, e.Input);
        Assert.False(Reference.TryParse(text, out _, out var problem));
        Assert.Equal(e.Problem, problem);
    }

    [Theory]
    [InlineData("alpine\n")]
    [InlineData("alpine:latest\n")]
    [InlineData("example.com\n/app")]
    [InlineData("user/app\n:tag")]
    [InlineData("alpine@sha256:" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde\n")]
    public void Parse_TrailingNewlineInAnyPart_Throws(string text)
    {
        Assert.Throws<InvalidReferenceException>(() => Reference.Parse(text));
    }

    [Theory]
    [InlineData("example.com:65536/app")]
    [InlineData("example.com:99999/app")]
    [InlineData("[1.2.3]/app")]
    [InlineData("[:::::]:5000/app")]
    [InlineData("[1::2::3]/app")]
    public void Parse_RegistryNoUrlCanHold_Throws(string text)
    {
        var e = Assert.Throws<InvalidReferenceException>(() => Reference.Parse(text));

        Assert.Contains("registry", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_VeryLongInput_ThrowsWithShortenedMessage()
    {
        var text = "a/" + new string('b', 10 * 1024);

        var e = Assert.Throws<InvalidReferenceException>(() => Reference.Parse(text));

        Assert.Contains("1024", e.Problem, StringComparison.Ordinal);
        Assert.True(e.Message.Length < 600, "the message should not repeat 10 KB of input");
    }

    [Fact]
    public void Parse_NameLongerThan255_Throws()
    {
        var e = Assert.Throws<InvalidReferenceException>(() => Reference.Parse("ghcr.io/" + new string('a', 250)));

        Assert.Contains("255", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Null_ThrowsInvalidReferenceException()
    {
        Assert.Throws<InvalidReferenceException>(() => Reference.Parse(null!));
        Assert.False(Reference.TryParse(null, out var reference, out var problem));
        Assert.Null(reference);
        Assert.NotNull(problem);
    }

    public static TheoryData<string> HostileInputs()
    {
        var data = new TheoryData<string>
        {
            "@", "@@", ":", "::", "/", "//", "[", "]", "[]", "[/a", "[::1/a", "a@b@c", "a:b:c", "a::b",
            "...", "a/../b", "./a", "a/.", "%2e%2e/a", "a%00b", "\u0000", "\uFFFF", "\uD800", "a\uD800/b",
            "ghcr.io/a:\u00e9", "𝕒𝕝𝕡𝕚𝕟𝕖", "localhost:/a", "localhost:5000", "localhost:5000/", ":5000/a",
            "example.com:00000/a", "example.com:0/a", "[::1]:/a", "[::1]:99999/a", "[::ffff:127.0.0.1]/a",
            "a@sha256:", "a@:abc", "a@sha256:" + new string('a', 300), "a@sha512:" + new string('a', 128),
            new string('a', 255), new string('a', 1024), new string('/', 1024), new string(':', 1025),
            string.Concat(Enumerable.Repeat("a.", 200)) + "io/app",
            string.Concat(Enumerable.Repeat("a-", 500)) + "a",
            "x" + new string('-', 300) + "y/app", "a" + string.Concat(Enumerable.Repeat("-a", 400)) + "!",
            "file:///etc/passwd", "C:\\Windows\\x", "\\\\server\\share", "a\r\nHost: evil", "a\tb", " alpine", "alpine ",
        };

        // A seeded sweep over strings built from the characters that matter to the grammar.
        var random = new Random(20240611);
        const string Alphabet = "aZ9._-/:@[]\u00e9 \n\u0000";
        for (var i = 0; i < 500; i++)
        {
            var builder = new StringBuilder();
            var length = random.Next(1, 40);
            for (var j = 0; j < length; j++)
            {
                builder.Append(Alphabet[random.Next(Alphabet.Length)]);
            }

            data.Add(builder.ToString());
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(HostileInputs))]
    public void Parse_HostileInput_ThrowsOnlyInvalidReferenceExceptionOrGivesAUsableReference(string text)
    {
        Reference reference;
        try
        {
            reference = Reference.Parse(text);
        }
        catch (InvalidReferenceException)
        {
            return;
        }

        // Accepted: then every part must be something a URL can carry.
        Assert.True(Reference.IsValidRepository(reference.Repository));
        Assert.True(reference.Tag is null || Reference.IsValidTag(reference.Tag));
        using var client = new RegistryClient(reference.Registry, new ClientOptions { UseDockerConfig = false });
        _ = client.Url(reference.Repository, "manifests/" + reference.Identifier);
    }

    [Theory]
    [InlineData("localhost", true)]
    [InlineData("LOCALHOST:5000", true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.0.0.5", true)]
    [InlineData("127.0.0.5:8080", true)]
    [InlineData("[::1]", true)]
    [InlineData("[::1]:5000", true)]
    [InlineData("10.0.0.1", false)]
    [InlineData("10.0.0.1:5000", false)]
    [InlineData("example.com", false)]
    [InlineData("localhost.example.com", false)]
    [InlineData("[::2]:5000", false)]
    [InlineData("docker.io", false)]
    public void IsLoopbackRegistry_Host_ClassifiesLoopback(string registry, bool expected)
    {
        Assert.Equal(expected, Reference.IsLoopbackRegistry(registry));
        Assert.Equal(expected, Reference.Parse(registry + "/app").IsLoopback);
    }

    [Theory]
    [InlineData("alpine", "registry-1.docker.io")]
    [InlineData("index.docker.io/x", "registry-1.docker.io")]
    [InlineData("ghcr.io/a", "ghcr.io")]
    [InlineData("localhost:5000/a", "localhost:5000")]
    public void Endpoint_Registry_IsTheApiHost(string text, string endpoint)
    {
        Assert.Equal(endpoint, Reference.Parse(text).Endpoint);
    }

    [Fact]
    public void Create_ValidParts_BuildsNormalisedReference()
    {
        var digest = Digest.Parse("sha256:" + Hex);

        var reference = Reference.Create("index.docker.io", "alpine", "3.20", digest);

        Assert.Equal("docker.io/library/alpine:3.20@sha256:" + Hex, reference.ToString());
    }

    [Theory]
    [InlineData("ghcr.io", "Org/app", null)]
    [InlineData("ghcr.io", "org/app", "-bad")]
    [InlineData("bad host", "org/app", null)]
    [InlineData("ghcr.io", "", null)]
    public void Create_InvalidPart_ThrowsInvalidReferenceException(string registry, string repository, string? tag)
    {
        Assert.Throws<InvalidReferenceException>(() => Reference.Create(registry, repository, tag));
    }

    [Fact]
    public void WithDigest_KeepsTagAndRepositoryOnlyDropsBoth()
    {
        var digest = Digest.Parse("sha256:" + Hex);
        var reference = Reference.Parse("ghcr.io/org/app:1");

        Assert.Equal("ghcr.io/org/app:1@sha256:" + Hex, reference.WithDigest(digest).ToString());
        Assert.Equal("ghcr.io/org/app@sha256:" + Hex, reference.AtDigest(digest).ToString());
        Assert.Equal("ghcr.io/org/app", reference.RepositoryOnly().ToString());
    }
}
