using System;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace OciRegistry.Core.References;

/// <summary>
/// A parsed image reference: <c>[registry[:port]/]repository[:tag][@digest]</c>, normalised the way
/// Docker does (<c>alpine</c> is <c>docker.io/library/alpine:latest</c>).
/// </summary>
/// <remarks>
/// Grammar: https://github.com/distribution/reference/blob/main/reference.go and the name and tag
/// expressions of https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-manifests.
/// </remarks>
public sealed class Reference
{
    /// <summary>The registry name used for Docker Hub.</summary>
    public const string DockerHub = "docker.io";

    /// <summary>The host that actually serves Docker Hub's registry API.</summary>
    public const string DockerHubEndpoint = "registry-1.docker.io";

    private const int MaxNameLength = 255;
    private const string RepositoryExpr = "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)*";
    private const string DomainComponent = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";

    // \z, not $ (here and in RegistryGrammar): in .NET '$' also matches before a final '\n', which would let
    // "alpine:latest\n" or "example.com\n/app" through.
    private static readonly Regex RepositoryGrammar = new("^" + RepositoryExpr + "\\z", RegexOptions.CultureInvariant);
    private static readonly Regex TagGrammar = new("^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}\\z", RegexOptions.CultureInvariant);
    private static readonly Regex RegistryGrammar = new(
        "^(?:" + DomainComponent + "(?:\\." + DomainComponent + ")*|\\[[a-fA-F0-9:.]+\\])(?::[0-9]{1,5})?\\z",
        RegexOptions.CultureInvariant);

    private Reference(string registry, string repository, string? tag, Digest? digest)
    {
        Registry = registry;
        Repository = repository;
        Tag = tag;
        Digest = digest;
    }

    /// <summary>The registry as written, normalised: <c>docker.io</c>, <c>ghcr.io</c>, <c>localhost:5000</c>.</summary>
    public string Registry { get; }

    /// <summary>The repository path, e.g. <c>library/alpine</c>.</summary>
    public string Repository { get; }

    /// <summary>The tag, or null when the reference names only a digest or only a repository.</summary>
    public string? Tag { get; }

    /// <summary>The digest, when the reference pins one.</summary>
    public Digest? Digest { get; }

    /// <summary>What goes in the manifest URL: the tag when there is one, else the digest.</summary>
    /// <remarks>
    /// With both, the tag is requested and the digest verifies the answer, as the seed client did: a pull-through
    /// cache then still sees which tag was wanted.
    /// </remarks>
    public string Identifier => Tag ?? Digest?.ToString() ?? "latest";

    /// <summary>The host (and port) that serves the registry API; Docker Hub's API lives elsewhere than its name.</summary>
    public string Endpoint => EndpointFor(Registry);

    /// <summary>Whether the registry is on this machine, where plain HTTP is the default.</summary>
    public bool IsLoopback => IsLoopbackRegistry(Registry);

    /// <summary>Parses and normalises <paramref name="text"/>; a reference without tag or digest gets <c>latest</c>.</summary>
    public static Reference Parse(string text) => ParseCore(text, defaultTag: true);

    /// <summary>Parses a repository name (tag and digest allowed but not required, no <c>latest</c> added).</summary>
    public static Reference ParseRepository(string text) => ParseCore(text, defaultTag: false);

    /// <summary>Parses <paramref name="text"/> without throwing.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out Reference? reference, [NotNullWhen(false)] out string? problem)
    {
        try
        {
            reference = Parse(text ?? string.Empty);
            problem = null;
            return true;
        }
        catch (InvalidReferenceException e)
        {
            reference = null;
            problem = e.Problem;
            return false;
        }
    }

    /// <summary>Builds a reference from its parts, validating each.</summary>
    public static Reference Create(string registry, string repository, string? tag = null, Digest? digest = null)
    {
        var text = NormaliseRegistry(registry ?? string.Empty) + "/" + repository;
        var parsed = ParseCore(text, defaultTag: false);
        if (tag is not null && !TagGrammar.IsMatch(tag))
        {
            throw new InvalidReferenceException(tag, "a tag is 1 to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-'");
        }

        return new Reference(parsed.Registry, parsed.Repository, tag, digest);
    }

    /// <summary>The same repository with a digest (the tag is kept for display).</summary>
    public Reference WithDigest(Digest digest) => new(Registry, Repository, Tag, digest);

    /// <summary>The same repository pinned to <paramref name="digest"/> alone.</summary>
    public Reference AtDigest(Digest digest) => new(Registry, Repository, null, digest);

    /// <summary>The same repository with no tag and no digest.</summary>
    public Reference RepositoryOnly() => new(Registry, Repository, null, null);

    /// <summary>The same repository at <paramref name="tag"/>, without a digest.</summary>
    public Reference WithTag(string tag) => new(Registry, Repository, tag, null);

    /// <summary>The same reference without its digest (a tag stays).</summary>
    public Reference WithoutDigest() => new(Registry, Repository, Tag, null);

    /// <summary>The full, normalised text: <c>registry/repository[:tag][@digest]</c>.</summary>
    public override string ToString() =>
        Registry + "/" + Repository + (Tag is null ? string.Empty : ":" + Tag) + (Digest is null ? string.Empty : "@" + Digest);

    /// <summary>The API host for a registry name: Docker Hub's names map to its endpoint.</summary>
    public static string EndpointFor(string registry) =>
        registry == DockerHub ? DockerHubEndpoint : registry;

    /// <summary>Whether <paramref name="registry"/> (host with optional port) is localhost, 127.0.0.0/8 or [::1].</summary>
    public static bool IsLoopbackRegistry(string registry)
    {
        var host = HostOf(registry);
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
    }

    private static string HostOf(string registry)
    {
        if (registry.StartsWith("[", StringComparison.Ordinal))
        {
            var end = registry.IndexOf(']');
            return end < 0 ? registry : registry.Substring(0, end + 1);
        }

        var colon = registry.LastIndexOf(':');
        return colon < 0 ? registry : registry.Substring(0, colon);
    }

    /// <summary>
    /// What the grammar cannot say: a port is at most 65535 and a bracketed host is an IPv6 address. Without this,
    /// <c>example.com:99999</c> or <c>[1.2.3]</c> pass the parser and fail later as a <see cref="UriFormatException"/>.
    /// </summary>
    private static bool HasUsableHostAndPort(string registry)
    {
        var host = HostOf(registry);
        if (host.Length < registry.Length && int.Parse(registry.Substring(host.Length + 1), CultureInfo.InvariantCulture) > 65535)
        {
            return false;
        }

        return !host.StartsWith("[", StringComparison.Ordinal) ||
            (IPAddress.TryParse(host.Substring(1, host.Length - 2), out var address) && address.AddressFamily == AddressFamily.InterNetworkV6);
    }

    private static string NormaliseRegistry(string registry) =>
        registry is "index.docker.io" or DockerHubEndpoint ? DockerHub : registry;

    private static Reference ParseCore(string text, bool defaultTag)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new InvalidReferenceException(text ?? string.Empty, "the reference is empty");
        }

        if (text.Length > 1024)
        {
            throw new InvalidReferenceException(text, "the reference is longer than 1024 characters");
        }

        if (text.IndexOf("://", StringComparison.Ordinal) >= 0)
        {
            throw new InvalidReferenceException(text, "leave out the scheme (write 'ghcr.io/org/app:1.0', not 'https://ghcr.io/org/app:1.0'); whether to use plain HTTP is the client's choice, not part of the reference");
        }

        var rest = text;
        Digest? digest = null;
        var at = rest.IndexOf('@');
        if (at >= 0)
        {
            if (!Digest.TryParse(rest.Substring(at + 1), out digest, out var digestProblem))
            {
                throw new InvalidReferenceException(text, digestProblem);
            }

            rest = rest.Substring(0, at);
        }

        string? tag = null;
        var lastSlash = rest.LastIndexOf('/');
        var tagColon = rest.LastIndexOf(':');
        if (tagColon > lastSlash)
        {
            tag = rest.Substring(tagColon + 1);
            rest = rest.Substring(0, tagColon);
            if (!TagGrammar.IsMatch(tag))
            {
                throw new InvalidReferenceException(text, $"the tag '{tag}' is not 1 to 128 letters, digits, '_', '.' or '-' starting with a letter, digit or '_'");
            }
        }

        string registry;
        string repository;
        var firstSlash = rest.IndexOf('/');
        var first = firstSlash < 0 ? rest : rest.Substring(0, firstSlash);
        var firstIsRegistry = firstSlash >= 0 &&
            (first.IndexOfAny(['.', ':', '[']) >= 0 || first == "localhost" || !string.Equals(first, first.ToLowerInvariant(), StringComparison.Ordinal));
        if (firstIsRegistry)
        {
            registry = NormaliseRegistry(first);
            repository = rest.Substring(firstSlash + 1);
            if (!RegistryGrammar.IsMatch(registry) || !HasUsableHostAndPort(registry))
            {
                throw new InvalidReferenceException(text, $"'{first}' is not a valid registry host[:port]");
            }
        }
        else
        {
            registry = DockerHub;
            repository = rest;
        }

        if (registry == DockerHub && repository.IndexOf('/') < 0)
        {
            repository = "library/" + repository;
        }

        if (repository.Length == 0 || !RepositoryGrammar.IsMatch(repository))
        {
            throw new InvalidReferenceException(text, $"the repository '{repository}' must be lowercase path components of letters and digits, separated by '/', '.', '_', '__' or '-'");
        }

        if (registry.Length + 1 + repository.Length > MaxNameLength)
        {
            throw new InvalidReferenceException(text, $"the name is longer than {MaxNameLength} characters");
        }

        if (tag is null && digest is null && defaultTag)
        {
            tag = "latest";
        }

        return new Reference(registry, repository, tag, digest);
    }

    /// <summary>Whether <paramref name="repository"/> is a valid repository path.</summary>
    public static bool IsValidRepository(string? repository) =>
        repository is not null && repository.Length <= MaxNameLength && RepositoryGrammar.IsMatch(repository);

    /// <summary>Whether <paramref name="tag"/> is a valid tag.</summary>
    public static bool IsValidTag(string? tag) => tag is not null && TagGrammar.IsMatch(tag);
}
