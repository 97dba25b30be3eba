using System;
using System.IO;
using System.Text;
using System.Text.Json;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Client;

/// <summary>
/// Reads credentials that <c>docker login</c> stored in config.json: <c>auths</c> entries with <c>auth</c>
/// (base64 of <c>user:password</c>), <c>username</c>/<c>password</c>, or <c>identitytoken</c>.
/// The file is <c>$DOCKER_CONFIG/config.json</c>, else <c>~/.docker/config.json</c>.
/// </summary>
public static class DockerConfigCredentials
{
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
    /// The credential stored for <paramref name="registry"/>, or null when there is none (or no file).
    /// A file that exists but cannot be read as JSON is an error: silently going anonymous would hide it.
    /// </summary>
    public static RegistryCredential? Find(string registry, string? configPath = null)
    {
        var path = configPath ?? DefaultPath();
        if (!File.Exists(path))
        {
            return null;
        }

        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (info.Length > Limits.CredentialFileBytes)
            {
                throw new OciException($"the Docker config '{path}' is larger than {Limits.CredentialFileBytes} bytes");
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OciException($"could not read the Docker config '{path}': {e.Message}", e);
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            if (document.RootElement.ValueKind != JsonValueKind.Object ||
                !document.RootElement.TryGetProperty("auths", out var auths) || auths.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var wanted = Normalise(registry);
            foreach (var entry in auths.EnumerateObject())
            {
                if (Normalise(entry.Name) == wanted && entry.Value.ValueKind == JsonValueKind.Object)
                {
                    var credential = FromEntry(entry.Value);
                    if (credential is not null)
                    {
                        return credential;
                    }
                }
            }

            return null;
        }
        catch (JsonException e)
        {
            // Only the position: a JsonException's message quotes the offending text ("'tSecret…' is an invalid JSON
            // literal"), which in this file can be a password. For the same reason it is not kept as the inner exception.
            throw new OciException($"the Docker config '{path}' is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})");
        }
        catch (InvalidOperationException)
        {
            // GetString or a property name on text holding invalid UTF-8 or a lone surrogate escape ("\uD800");
            // not kept as the inner exception for the same reason as above.
            throw new OciException($"the Docker config '{path}' holds text that is not valid Unicode");
        }
    }

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

    private static RegistryCredential? FromEntry(JsonElement entry)
    {
        string? Text(string name) => entry.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        var username = Text("username");
        var password = Text("password");
        var identityToken = Text("identitytoken");
        var auth = Text("auth");
        if (!string.IsNullOrEmpty(auth))
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(auth));
            }
            catch (FormatException)
            {
                throw new OciException("an 'auth' entry in the Docker config is not valid base64");
            }

            var colon = decoded.IndexOf(':');
            if (colon > 0)
            {
                username = decoded.Substring(0, colon);
                password = decoded.Substring(colon + 1);
            }
        }

        if (!string.IsNullOrEmpty(identityToken))
        {
            return RegistryCredential.FromIdentityToken(identityToken!, username);
        }

        return !string.IsNullOrEmpty(username) ? RegistryCredential.FromPassword(username!, password ?? string.Empty) : null;
    }
}
