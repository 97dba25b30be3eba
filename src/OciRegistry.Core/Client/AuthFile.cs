using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using OciRegistry.Core.LocalFiles;

namespace OciRegistry.Core.Client;

/// <summary>
/// One credentials file in the format <c>docker login</c> and <c>podman login</c> share: <c>auths</c> entries
/// keyed by registry, plus Docker's <c>credHelpers</c> (helper per registry) and <c>credsStore</c> (default helper).
/// </summary>
/// <remarks>
/// https://docs.docker.com/reference/cli/docker/login/#credential-stores and
/// https://github.com/containers/image/blob/main/docs/containers-auth.json.5.md.
/// Error messages name the file and a position, never its content: any of it may be a password.
/// </remarks>
internal sealed class AuthFile
{
    private readonly JsonElement? _auths;
    private readonly Dictionary<string, string> _helpers;

    private AuthFile(string path, string kind, JsonElement? auths, Dictionary<string, string> helpers, string? credsStore)
    {
        Path = path;
        Kind = kind;
        _auths = auths;
        _helpers = helpers;
        CredsStore = credsStore;
    }

    /// <summary>Where the file is.</summary>
    public string Path { get; }

    /// <summary>What the file is, for messages: "Docker config", "containers auth file".</summary>
    public string Kind { get; }

    /// <summary>The default credential helper (<c>credsStore</c>), if one is set.</summary>
    public string? CredsStore { get; }

    /// <summary>
    /// Reads the file at <paramref name="path"/>; null when there is none. A file that exists but cannot be read
    /// is an <see cref="OciException"/>: silently going anonymous would hide it. Only a regular file is read, through
    /// <see cref="Limits.CredentialFileBytes"/>: a symbolic link to one is followed (dotfiles are often linked), but
    /// a FIFO, a device such as <c>/dev/zero</c> or a folder is refused at once (<see cref="FileNotRegularException"/>)
    /// instead of blocking or filling memory.
    /// </summary>
    public static AuthFile? Load(string path, string kind)
    {
        if (RegularFile.GetStatus(path).Kind == FileKind.Missing)
        {
            return null;
        }

        byte[] bytes;
        try
        {
            // The size cap's kind is not shown: the error below names the file instead.
            bytes = RegularFile.ReadAllBytesCapped(path, Limits.CredentialFileBytes, ContentKind.Manifest, followFinalLink: true);
        }
        catch (ContentTooLargeException e)
        {
            throw new OciException($"the {kind} '{path}' is larger than {Limits.CredentialFileBytes} bytes", e);
        }
        catch (FileNotFoundException)
        {
            // A dangling link, or a file removed since: there is no file to read, as when it never existed.
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OciException($"could not read the {kind} '{path}': {e.Message}", e);
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new AuthFile(path, kind, null, new Dictionary<string, string>(), null);
            }

            JsonElement? auths = root.TryGetProperty("auths", out var a) && a.ValueKind == JsonValueKind.Object ? a.Clone() : null;
            var helpers = new Dictionary<string, string>(StringComparer.Ordinal);
            if (root.TryGetProperty("credHelpers", out var h) && h.ValueKind == JsonValueKind.Object)
            {
                foreach (var entry in h.EnumerateObject())
                {
                    if (entry.Value.ValueKind == JsonValueKind.String && entry.Value.GetString() is { Length: > 0 } helper)
                    {
                        helpers[DockerConfigCredentials.Normalise(entry.Name)] = helper;
                    }
                }
            }

            var store = root.TryGetProperty("credsStore", out var s) && s.ValueKind == JsonValueKind.String && s.GetString() is { Length: > 0 } name ? name : null;
            return new AuthFile(path, kind, auths, helpers, store);
        }
        catch (JsonException e)
        {
            // Only the position: a JsonException's message quotes the offending text, which here can be a password.
            // For the same reason it is not kept as the inner exception.
            throw new OciException($"the {kind} '{path}' is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})");
        }
        catch (InvalidOperationException)
        {
            // GetString or a property name on text holding invalid UTF-8 or a lone surrogate escape; not kept as the
            // inner exception for the same reason as above.
            throw new OciException($"the {kind} '{path}' holds text that is not valid Unicode");
        }
    }

    /// <summary>The helper <c>credHelpers</c> names for <paramref name="registry"/>, if any.</summary>
    public string? HelperFor(string registry) =>
        _helpers.TryGetValue(DockerConfigCredentials.Normalise(registry), out var helper) ? helper : null;

    /// <summary>
    /// The <c>auths</c> entry for <paramref name="registry"/> as a credential; null when there is none or it holds
    /// no user name or token (Docker leaves <c>{}</c> there when a helper keeps the secret).
    /// </summary>
    /// <param name="registry">The registry, as in a reference.</param>
    /// <param name="hostKeysOnly">
    /// Skip keys with a path (<c>quay.io/team</c>): containers auth files scope those to a namespace, and a lookup per
    /// registry must not hand one namespace's credentials to another.
    /// </param>
    public RegistryCredential? FindAuth(string registry, bool hostKeysOnly = false)
    {
        if (_auths is not { } auths)
        {
            return null;
        }

        try
        {
            var wanted = DockerConfigCredentials.Normalise(registry);
            foreach (var entry in auths.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.Object || (hostKeysOnly && HasPath(entry.Name)) ||
                    DockerConfigCredentials.Normalise(entry.Name) != wanted)
                {
                    continue;
                }

                if (FromEntry(entry.Value) is { } credential)
                {
                    return credential;
                }
            }

            return null;
        }
        catch (InvalidOperationException)
        {
            throw new OciException($"the {Kind} '{Path}' holds text that is not valid Unicode");
        }
    }

    private static bool HasPath(string key)
    {
        var text = key.Trim();
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            // URL keys are Docker's ("https://index.docker.io/v1/"): their path is an API version, not a namespace.
            return false;
        }

        return text.TrimEnd('/').IndexOf('/') >= 0;
    }

    private RegistryCredential? FromEntry(JsonElement entry)
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
                throw new OciException($"an 'auth' entry in the {Kind} '{Path}' is not valid base64");
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

        if (string.IsNullOrEmpty(username))
        {
            return null;
        }

        try
        {
            return RegistryCredential.FromPassword(username!, password ?? string.Empty);
        }
        catch (ArgumentException)
        {
            // A user name with ':' cannot go into Basic authentication; say so without repeating the entry.
            throw new OciException($"an entry in the {Kind} '{Path}' has a user name containing ':'");
        }
    }
}
