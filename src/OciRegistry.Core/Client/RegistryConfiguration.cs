using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using OciRegistry.Core.LocalFiles;

namespace OciRegistry.Core.Client;

/// <summary>
/// The user's registry configuration, a JSON file in the user's configuration folder
/// (<c>$XDG_CONFIG_HOME/OciRegistry/registries.json</c>, default <c>~/.config</c>; <c>%APPDATA%\OciRegistry</c> on
/// Windows; <c>OCIREGISTRY_CONFIG</c> names another file), plus Docker's <c>daemon.json</c>
/// <c>registry-mirrors</c>, which docker applies to docker.io:
/// <code>{ "registries": { "docker.io": { "mirrors": ["mirror.corp:5000"], "insecure": false,
///   "scheme": "https", "certificateAuthority": ["/etc/pki/corp-ca.crt"],
///   "clientCertificate": ["/etc/pki/me.cert", "/etc/pki/me.key"] } } }</code>
/// Containers' registries.conf mirrors count too (<see cref="ContainersRegistriesConf"/>).
/// </summary>
public static class RegistryConfiguration
{
    /// <summary>The environment variable that names the configuration file instead of the default.</summary>
    public const string OverrideVariable = "OCIREGISTRY_CONFIG";

    /// <summary>The environment variable that names Docker's daemon.json instead of the default (empty reads none).</summary>
    public const string DaemonJsonVariable = "OCIREGISTRY_DOCKER_DAEMON_JSON";

    private const long MaxBytes = 1024 * 1024;

    /// <summary>The configuration file: <see cref="OverrideVariable"/>, or the default in the user's configuration folder.</summary>
    public static string DefaultPath()
    {
        if (Environment.GetEnvironmentVariable(OverrideVariable) is { Length: > 0 } path)
        {
            return path;
        }

        string folder;
        if (Path.DirectorySeparatorChar == '\\')
        {
            folder = Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData);
        }
        else
        {
            folder = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } xdg
                ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        }

        return Path.Combine(folder, "OciRegistry", "registries.json");
    }

    /// <summary>Docker's daemon.json: <see cref="DaemonJsonVariable"/>, or /etc/docker (Windows: %ProgramData%\docker\config).</summary>
    public static string? DaemonJsonPath()
    {
        if (Environment.GetEnvironmentVariable(DaemonJsonVariable) is { } path)
        {
            return path.Length == 0 ? null : path;
        }

        return Path.DirectorySeparatorChar == '\\'
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.CommonApplicationData), "docker", "config", "daemon.json")
            : "/etc/docker/daemon.json";
    }

    /// <summary>Every registry's settings in the file at <paramref name="path"/>; none when there is no file.</summary>
    /// <exception cref="RegistryConfigurationException">The file is not a configuration.</exception>
    public static IReadOnlyList<RegistrySettings> Load(string path)
    {
        byte[] bytes;
        try
        {
            if (!File.Exists(path))
            {
                return [];
            }

            bytes = RegularFile.ReadAllBytesCapped(path, MaxBytes, ContentKind.Manifest, followFinalLink: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or OciException)
        {
            throw new RegistryConfigurationException(path, e.Message, e);
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            if (document.RootElement.ValueKind != JsonValueKind.Object ||
                !document.RootElement.TryGetProperty("registries", out var registries))
            {
                return [];
            }

            if (registries.ValueKind != JsonValueKind.Object)
            {
                throw new RegistryConfigurationException(path, "registries should be an object of registry names");
            }

            var found = new List<RegistrySettings>();
            foreach (var entry in registries.EnumerateObject())
            {
                found.Add(Read(path, entry.Name, entry.Value));
            }

            return found;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new RegistryConfigurationException(path, "it is not valid JSON: " + e.Message, e);
        }
    }

    /// <summary>
    /// What applies to <paramref name="registry"/>: the file's entry; when it names no mirrors, those of containers'
    /// registries.conf, then (for docker.io) those of Docker's daemon.json.
    /// </summary>
    public static RegistrySettings? For(string registry, string? path = null, string? daemonJson = null, IEnumerable<string>? registriesConf = null) =>
        All(path, daemonJson, registriesConf).FirstOrDefault(s => string.Equals(s.Registry, registry, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Every registry the three sources name, each file read once: the file's entries, with the mirrors of
    /// registries.conf where an entry names none (and registries only registries.conf names), and daemon.json's
    /// mirrors for docker.io where neither names any.
    /// </summary>
    public static IReadOnlyList<RegistrySettings> All(string? path = null, string? daemonJson = null, IEnumerable<string>? registriesConf = null)
    {
        var merged = Load(path ?? DefaultPath()).ToDictionary(s => s.Registry, StringComparer.OrdinalIgnoreCase);
        foreach (var containers in ContainersRegistriesConf.Read(registriesConf ?? ContainersRegistriesConf.DefaultFiles()))
        {
            if (!merged.TryGetValue(containers.Registry, out var settings))
            {
                merged[containers.Registry] = containers;
            }
            else if (settings.Mirrors.Count == 0)
            {
                settings.Mirrors = containers.Mirrors;
                settings.Insecure ??= containers.Insecure;
            }
        }

        merged.TryGetValue("docker.io", out var docker);
        if (docker is not { Mirrors.Count: > 0 } && (daemonJson ?? DaemonJsonPath()) is { } daemon && DaemonMirrors(daemon) is { Count: > 0 } mirrors)
        {
            docker ??= merged["docker.io"] = new RegistrySettings("docker.io");
            docker.Mirrors = mirrors;
            docker.Source ??= daemon;
        }

        return [.. merged.Values.OrderBy(s => s.Registry, StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>Writes <paramref name="settings"/> as the whole file, through a temporary file renamed into place.</summary>
    public static void Save(string path, IEnumerable<RegistrySettings> settings)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("registries");
            foreach (var entry in settings.OrderBy(s => s.Registry, StringComparer.OrdinalIgnoreCase))
            {
                writer.WriteStartObject(entry.Registry);
                if (entry.Mirrors.Count > 0)
                {
                    writer.WriteStartArray("mirrors");
                    foreach (var mirror in entry.Mirrors)
                    {
                        writer.WriteStringValue(mirror);
                    }

                    writer.WriteEndArray();
                }

                if (entry.Insecure is { } insecure)
                {
                    writer.WriteBoolean("insecure", insecure);
                }

                if (entry.Scheme is { } scheme)
                {
                    writer.WriteString("scheme", scheme == RegistryScheme.Http ? "http" : "https");
                }

                if (entry.ClientCertificate.Count > 0)
                {
                    writer.WriteStartArray("clientCertificate");
                    foreach (var file in entry.ClientCertificate)
                    {
                        writer.WriteStringValue(file);
                    }

                    writer.WriteEndArray();
                }

                if (entry.CertificateAuthority.Count > 0)
                {
                    writer.WriteStartArray("certificateAuthority");
                    foreach (var file in entry.CertificateAuthority)
                    {
                        writer.WriteStringValue(file);
                    }

                    writer.WriteEndArray();
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        if (File.Exists(path))
        {
            File.Replace(temporary, path, destinationBackupFileName: null);
        }
        else
        {
            File.Move(temporary, path);
        }
    }

    private static RegistrySettings Read(string path, string registry, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new RegistryConfigurationException(path, $"the entry for {registry} should be an object");
        }

        var settings = new RegistrySettings(registry) { Source = path };
        foreach (var property in value.EnumerateObject())
        {
            switch (property.Name)
            {
                case "mirrors":
                    settings.Mirrors = Strings(path, registry, property);
                    break;
                case "certificateAuthority":
                    settings.CertificateAuthority = Strings(path, registry, property);
                    break;
                case "clientCertificate":
                    settings.ClientCertificate = Strings(path, registry, property);
                    if (settings.ClientCertificate.Count > 2)
                    {
                        throw new RegistryConfigurationException(path, $"{registry}.clientCertificate holds a PFX, or a PEM certificate and its key: one or two paths");
                    }

                    break;
                case "insecure" when property.Value.ValueKind is JsonValueKind.True or JsonValueKind.False:
                    settings.Insecure = property.Value.GetBoolean();
                    break;
                case "scheme" when property.Value.ValueKind == JsonValueKind.String && property.Value.GetString() is "https" or "http":
                    settings.Scheme = property.Value.GetString() == "http" ? RegistryScheme.Http : RegistryScheme.Https;
                    break;
                case "insecure" or "scheme":
                    throw new RegistryConfigurationException(path, $"{registry}.{property.Name} should be {(property.Name == "insecure" ? "true or false" : "\"https\" or \"http\"")}");
            }
        }

        return settings;
    }

    private static IReadOnlyList<string> Strings(string path, string registry, JsonProperty property)
    {
        if (property.Value.ValueKind != JsonValueKind.Array || property.Value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
        {
            throw new RegistryConfigurationException(path, $"{registry}.{property.Name} should be an array of strings");
        }

        return property.Value.EnumerateArray().Select(v => v.GetString()!).Where(v => v.Length > 0).ToList();
    }

    /// <summary>Docker's <c>registry-mirrors</c>; none when the file is missing or unreadable (it is docker's, not ours to judge).</summary>
    private static IReadOnlyList<string> DaemonMirrors(string path)
    {
        try
        {
            if (!File.Exists(path))
            {
                return [];
            }

            using var document = JsonDocument.Parse(RegularFile.ReadAllBytesCapped(path, MaxBytes, ContentKind.Manifest, followFinalLink: true));
            return document.RootElement.ValueKind == JsonValueKind.Object &&
                document.RootElement.TryGetProperty("registry-mirrors", out var mirrors) && mirrors.ValueKind == JsonValueKind.Array
                ? mirrors.EnumerateArray().Where(m => m.ValueKind == JsonValueKind.String).Select(m => m.GetString()!).Where(m => m.Length > 0).ToList()
                : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or OciException)
        {
            return [];
        }
    }
}
