using System;
using System.IO;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Client;

/// <summary>
/// Reads credentials that <c>docker login</c> stored in config.json: <c>auths</c> entries with <c>auth</c>
/// (base64 of <c>user:password</c>), <c>username</c>/<c>password</c>, or <c>identitytoken</c>.
/// The file is <c>$DOCKER_CONFIG/config.json</c>, else <c>~/.docker/config.json</c>.
/// </summary>
/// <remarks>
/// This reads the file only. A <see cref="RegistryClient"/> goes further when it needs credentials: it runs the
/// credential helpers the file names (<c>credHelpers</c>, <c>credsStore</c>) and reads the containers auth files.
/// </remarks>
public static class DockerConfigCredentials
{
    /// <summary>The key Docker Hub's credentials are stored under, in config.json and in credential helpers.</summary>
    public const string DockerHubKey = "https://index.docker.io/v1/";

    /// <summary>The config.json this process would read.</summary>
    public static string DefaultPath()
    {
        var folder = Environment.GetEnvironmentVariable("DOCKER_CONFIG");
        if (string.IsNullOrEmpty(folder))
        {
            folder = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker");
        }

        return Path.Combine(folder, "config.json");
    }

    /// <summary>
    /// The <c>auths</c> entry stored for <paramref name="registry"/>, or null when there is none (or no file).
    /// A file that exists but cannot be read as JSON is an error: silently going anonymous would hide it. The file
    /// may be a symbolic link to a regular file; a FIFO, a device or a folder in its place is a
    /// <see cref="LocalFiles.FileNotRegularException"/>, raised without reading from it.
    /// </summary>
    public static RegistryCredential? Find(string registry, string? configPath = null) =>
        AuthFile.Load(configPath ?? DefaultPath(), "Docker config")?.FindAuth(registry);

    /// <summary>The key a registry is stored under, in the forms docker writes: <c>https://index.docker.io/v1/</c> is Docker Hub.</summary>
    internal static string Normalise(string key)
    {
        var text = key.Trim();
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            text = text.Substring(scheme + 3);
        }

        var slash = text.IndexOf('/');
        if (slash >= 0)
        {
            text = text.Substring(0, slash);
        }

        text = text.ToLowerInvariant();
        return text is "index.docker.io" or Reference.DockerHubEndpoint ? Reference.DockerHub : text;
    }

    /// <summary>What Docker passes to a credential helper for <paramref name="registry"/>: the host, or Docker Hub's legacy URL.</summary>
    internal static string ServerUrlFor(string registry) =>
        Normalise(registry) == Reference.DockerHub ? DockerHubKey : registry;
}
