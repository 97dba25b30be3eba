using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using OciRegistry.Core.LocalFiles;

namespace OciRegistry.Core.Client;

/// <summary>
/// The mirrors of containers' <c>registries.conf</c> (podman, skopeo, buildah): each <c>[[registry]]</c> with its
/// <c>location</c> (or <c>prefix</c>) and <c>insecure</c>, and its <c>[[registry.mirror]]</c> tables in order.
/// Read from <c>CONTAINERS_REGISTRIES_CONF</c> (as containers/image reads it), else
/// <c>$XDG_CONFIG_HOME/containers/registries.conf</c> (default <c>~/.config</c>), else
/// <c>/etc/containers/registries.conf</c>, each with its <c>registries.conf.d/*.conf</c> drop-ins. Only the subset
/// of TOML those tables use is read (strings, booleans, arrays of strings, comments); anything else is skipped.
/// </summary>
/// <remarks>containers-registries.conf(5), version 2.</remarks>
public static class ContainersRegistriesConf
{
    /// <summary>The environment variable containers/image reads for the file.</summary>
    public const string OverrideVariable = "CONTAINERS_REGISTRIES_CONF";

    /// <summary>The files read, in order (later ones win per registry): the main file, then its drop-ins.</summary>
    public static IReadOnlyList<string> DefaultFiles()
    {
        string main;
        if (Environment.GetEnvironmentVariable(OverrideVariable) is { } set)
        {
            if (set.Length == 0)
            {
                return [];
            }

            main = set;
        }
        else
        {
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            var user = Path.Combine(Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } xdg ? xdg : Path.Combine(home, ".config"), "containers", "registries.conf");
            main = File.Exists(user) || Path.DirectorySeparatorChar == '\\' ? user : "/etc/containers/registries.conf";
        }

        var files = new List<string> { main };
        var dropIns = main + ".d";
        try
        {
            if (Directory.Exists(dropIns))
            {
                files.AddRange(Directory.GetFiles(dropIns, "*.conf").OrderBy(f => f, StringComparer.Ordinal));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A drop-in folder that cannot be listed adds nothing.
        }

        return files;
    }

    /// <summary>The settings <paramref name="files"/> give each registry that has mirrors or is marked insecure.</summary>
    public static IReadOnlyList<RegistrySettings> Read(IEnumerable<string> files)
    {
        var found = new Dictionary<string, RegistrySettings>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in files)
        {
            string[] lines;
            try
            {
                if (!File.Exists(file))
                {
                    continue;
                }

                // A regular file under the cap, links followed: a drop-in linked to a device or FIFO is never read.
                lines = System.Text.Encoding.UTF8.GetString(RegularFile.ReadAllBytesCapped(file, 1024 * 1024, ContentKind.Manifest, followFinalLink: true))
                    .Split(['\n'], StringSplitOptions.None);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or OciException)
            {
                continue; // containers' file, not ours to judge: a file that cannot be read adds nothing.
            }

            foreach (var settings in Parse(lines, file))
            {
                found[settings.Registry] = settings;
            }
        }

        return [.. found.Values];
    }

    private static IEnumerable<RegistrySettings> Parse(string[] lines, string file)
    {
        var registries = new List<(Dictionary<string, string> Keys, List<Dictionary<string, string>> Mirrors)>();
        Dictionary<string, string>? table = null;
        foreach (var raw in lines)
        {
            var line = WithoutComment(raw).Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (line == "[[registry]]")
            {
                registries.Add((table = new Dictionary<string, string>(StringComparer.Ordinal), []));
            }
            else if (line == "[[registry.mirror]]")
            {
                if (registries.Count == 0)
                {
                    table = null;
                    continue;
                }

                registries[registries.Count - 1].Mirrors.Add(table = new Dictionary<string, string>(StringComparer.Ordinal));
            }
            else if (line.StartsWith("[", StringComparison.Ordinal))
            {
                table = null; // [aliases], [engine] and the like: not ours.
            }
            else if (table is not null && line.IndexOf('=') is var equals and > 0)
            {
                table[line.Substring(0, equals).Trim().Trim('"')] = line.Substring(equals + 1).Trim();
            }
        }

        foreach (var (keys, mirrors) in registries)
        {
            var location = Text(keys, "location") ?? Text(keys, "prefix");
            if (location is null || location.IndexOf('*') >= 0)
            {
                continue; // No registry, or a wildcard prefix: not one registry to mirror.
            }

            var settings = new RegistrySettings(location.TrimEnd('/')) { Source = file };
            if (Flag(keys, "insecure") is { } insecure)
            {
                settings.Insecure = insecure;
            }

            settings.Mirrors = mirrors
                .Where(m => Text(m, "location") is not null && Flag(m, "pull-from-mirror-only-digest") != true)
                .Select(m => (Flag(m, "insecure") == true ? "http://" : string.Empty) + Text(m, "location")!.TrimEnd('/'))
                .ToList();
            if (settings.Mirrors.Count > 0 || settings.Insecure is not null)
            {
                yield return settings;
            }
        }
    }

    private static string WithoutComment(string line)
    {
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '"')
            {
                quoted = !quoted;
            }
            else if (line[i] == '#' && !quoted)
            {
                return line.Substring(0, i);
            }
        }

        return line;
    }

    private static string? Text(Dictionary<string, string> keys, string name) =>
        keys.TryGetValue(name, out var value) && value.Length >= 2 && value[0] is '"' or '\'' && value[value.Length - 1] == value[0]
            ? value.Substring(1, value.Length - 2) is { Length: > 0 } text ? text : null
            : null;

    private static bool? Flag(Dictionary<string, string> keys, string name) =>
        keys.TryGetValue(name, out var value) ? value switch { "true" => true, "false" => false, _ => null } : null;
}
