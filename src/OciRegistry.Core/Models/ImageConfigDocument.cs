using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace OciRegistry.Core.Models;

/// <summary>
/// An image config (<c>application/vnd.oci.image.config.v1+json</c>, or Docker's
/// <c>application/vnd.docker.container.image.v1+json</c>), read whole: what the image runs, as whom, where, with
/// which environment and labels, and how it was built. Both forms keep the runtime settings under <c>config</c>
/// with capitalised keys; Docker's <c>container_config</c> (the builder's last container) is not the image's and is
/// ignored.
/// </summary>
/// <remarks>
/// https://github.com/opencontainers/image-spec/blob/main/config.md#properties and
/// https://github.com/moby/docker-image-spec/blob/main/spec.md. Missing fields and JSON <c>null</c> are
/// "not set", as Go's decoder has them; a field of the wrong JSON type is a malformed config
/// (<see cref="ImageConfigFormatException"/>), never silently dropped.
/// </remarks>
public sealed class ImageConfigDocument
{
    private ImageConfigDocument()
    {
    }

    /// <summary>When the image was created (<c>created</c>, RFC 3339).</summary>
    public DateTimeOffset? Created { get; private set; }

    /// <summary>Who created it (<c>author</c>).</summary>
    public string? Author { get; private set; }

    /// <summary>The operating system (<c>os</c>).</summary>
    public string? Os { get; private set; }

    /// <summary>The CPU architecture (<c>architecture</c>).</summary>
    public string? Architecture { get; private set; }

    /// <summary>The CPU variant (<c>variant</c>).</summary>
    public string? Variant { get; private set; }

    /// <summary>The OS version (<c>os.version</c>, Windows images).</summary>
    public string? OsVersion { get; private set; }

    /// <summary>The user the process runs as (<c>config.User</c>).</summary>
    public string? User { get; private set; }

    /// <summary>The working directory (<c>config.WorkingDir</c>).</summary>
    public string? WorkingDir { get; private set; }

    /// <summary>The entrypoint (<c>config.Entrypoint</c>); empty when not set.</summary>
    public IReadOnlyList<string> Entrypoint { get; private set; } = [];

    /// <summary>The default arguments (<c>config.Cmd</c>); empty when not set.</summary>
    public IReadOnlyList<string> Cmd { get; private set; } = [];

    /// <summary>
    /// The environment (<c>config.Env</c>), in order, each entry split at its first <c>=</c>; an entry without one
    /// has a null value. A name given twice keeps its first place and its last value, as a process would see it.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string?>> Env { get; private set; } = [];

    /// <summary>The labels (<c>config.Labels</c>), in document order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Labels { get; private set; } = [];

    /// <summary>The exposed ports (<c>config.ExposedPorts</c> keys, e.g. <c>80/tcp</c>), in document order.</summary>
    public IReadOnlyList<string> ExposedPorts { get; private set; } = [];

    /// <summary>The volumes (<c>config.Volumes</c> keys), in document order.</summary>
    public IReadOnlyList<string> Volumes { get; private set; } = [];

    /// <summary>The signal that stops the container (<c>config.StopSignal</c>).</summary>
    public string? StopSignal { get; private set; }

    /// <summary>The build history (<c>history</c>), oldest first.</summary>
    public IReadOnlyList<ImageHistoryEntry> History { get; private set; } = [];

    /// <summary>The digests of the uncompressed layers (<c>rootfs.diff_ids</c>), in layer order.</summary>
    public IReadOnlyList<string> DiffIds { get; private set; } = [];

    /// <summary>The platform the config declares, when it names both OS and architecture.</summary>
    public Platform? Platform => Os is { Length: > 0 } && Architecture is { Length: > 0 }
        ? new Platform(Os, Architecture, Variant is { Length: > 0 } ? Variant : null, OsVersion is { Length: > 0 } ? OsVersion : null)
        : null;

    /// <summary>Parses a config blob.</summary>
    /// <exception cref="ImageConfigFormatException">Not JSON, not an object, or a field of the wrong JSON type.</exception>
    public static ImageConfigDocument Parse(byte[] config)
    {
        if (config is null)
        {
            throw new ArgumentNullException(nameof(config));
        }

        try
        {
            using var document = JsonDocument.Parse(config);
            return Read(document.RootElement);
        }
        catch (JsonException e)
        {
            throw new ImageConfigFormatException("the image config is not valid JSON: " + e.Message, e);
        }
        catch (InvalidOperationException e)
        {
            // GetString on a string holding invalid UTF-8 or a lone surrogate escape.
            throw new ImageConfigFormatException("the image config holds a string that is not valid Unicode", e);
        }
    }

    private static ImageConfigDocument Read(JsonElement root)
    {
        var result = new ImageConfigDocument();
        Expect(root, JsonValueKind.Object, string.Empty);
        result.Created = Time(root, "created", "created");
        result.Author = Text(root, "author", "author");
        result.Os = Text(root, "os", "os");
        result.Architecture = Text(root, "architecture", "architecture");
        result.Variant = Text(root, "variant", "variant");
        result.OsVersion = Text(root, "os.version", "os.version");

        if (Field(root, "config", "config", JsonValueKind.Object) is { } config)
        {
            result.User = Text(config, "User", "config.User");
            result.WorkingDir = Text(config, "WorkingDir", "config.WorkingDir");
            result.Entrypoint = Strings(config, "Entrypoint", "config.Entrypoint");
            result.Cmd = Strings(config, "Cmd", "config.Cmd");
            result.Env = ReadEnvironment(Strings(config, "Env", "config.Env"));
            result.Labels = ReadLabels(config);
            result.ExposedPorts = Keys(config, "ExposedPorts", "config.ExposedPorts");
            result.Volumes = Keys(config, "Volumes", "config.Volumes");
            result.StopSignal = Text(config, "StopSignal", "config.StopSignal");
        }

        if (Field(root, "rootfs", "rootfs", JsonValueKind.Object) is { } rootfs)
        {
            result.DiffIds = Strings(rootfs, "diff_ids", "rootfs.diff_ids");
        }

        if (Field(root, "history", "history", JsonValueKind.Array) is { } history)
        {
            var entries = new List<ImageHistoryEntry>(history.GetArrayLength());
            var i = 0;
            foreach (var item in history.EnumerateArray())
            {
                var where = $"history[{i++}]";
                Expect(item, JsonValueKind.Object, where);
                entries.Add(new ImageHistoryEntry(
                    Time(item, "created", where + ".created"),
                    Text(item, "created_by", where + ".created_by"),
                    Text(item, "comment", where + ".comment"),
                    Text(item, "author", where + ".author"),
                    Field(item, "empty_layer", where + ".empty_layer", JsonValueKind.True) is { } empty && empty.ValueKind == JsonValueKind.True));
            }

            result.History = entries;
        }

        return result;
    }

    // Name=value at the first '=': a value may hold '=' itself (FLAGS=-a=b).
    private static IReadOnlyList<KeyValuePair<string, string?>> ReadEnvironment(IReadOnlyList<string> entries)
    {
        var order = new List<string>(entries.Count);
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var equals = entry.IndexOf('=');
            var name = equals < 0 ? entry : entry.Substring(0, equals);
            if (!values.ContainsKey(name))
            {
                order.Add(name);
            }

            values[name] = equals < 0 ? null : entry.Substring(equals + 1);
        }

        return order.ConvertAll(name => new KeyValuePair<string, string?>(name, values[name]));
    }

    private static IReadOnlyList<KeyValuePair<string, string>> ReadLabels(JsonElement config)
    {
        if (Field(config, "Labels", "config.Labels", JsonValueKind.Object) is not { } labels)
        {
            return [];
        }

        var result = new List<KeyValuePair<string, string>>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var label in labels.EnumerateObject())
        {
            var value = label.Value.ValueKind == JsonValueKind.Null ? string.Empty : Expect(label.Value, JsonValueKind.String, "config.Labels." + label.Name).GetString()!;
            if (seen.TryGetValue(label.Name, out var at))
            {
                // A duplicate key: the last one wins, as in Go's decoder.
                result[at] = new KeyValuePair<string, string>(label.Name, value);
                continue;
            }

            seen[label.Name] = result.Count;
            result.Add(new KeyValuePair<string, string>(label.Name, value));
        }

        return result;
    }

    // ExposedPorts and Volumes are Go sets: map[string]struct{}; the values do not matter, but must be objects.
    private static IReadOnlyList<string> Keys(JsonElement parent, string name, string where)
    {
        if (Field(parent, name, where, JsonValueKind.Object) is not { } set)
        {
            return [];
        }

        var keys = new List<string>();
        foreach (var key in set.EnumerateObject())
        {
            if (key.Value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
            {
                throw Wrong(where + "." + key.Name, "an object", key.Value.ValueKind);
            }

            if (!keys.Contains(key.Name))
            {
                keys.Add(key.Name);
            }
        }

        return keys;
    }

    private static IReadOnlyList<string> Strings(JsonElement parent, string name, string where)
    {
        if (Field(parent, name, where, JsonValueKind.Array) is not { } array)
        {
            return [];
        }

        var result = new List<string>(array.GetArrayLength());
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            result.Add(Expect(item, JsonValueKind.String, $"{where}[{i++}]").GetString()!);
        }

        return result;
    }

    private static string? Text(JsonElement parent, string name, string where) =>
        Field(parent, name, where, JsonValueKind.String)?.GetString();

    // RFC 3339 as Go writes it: up to nine fractional digits, which DateTimeOffset cannot parse past seven.
    private static DateTimeOffset? Time(JsonElement parent, string name, string where)
    {
        if (Text(parent, name, where) is not { } text)
        {
            return null;
        }

        var trimmed = ExtraFraction.Replace(text, string.Empty);
        if (!DateTimeOffset.TryParseExact(trimmed, RfcFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            throw new ImageConfigFormatException($"the image config's {where} is not an RFC 3339 time: \"{Shorten(text)}\"");
        }

        return time;
    }

    private static readonly Regex ExtraFraction = new(@"(?<=[Tt ]\d\d:\d\d:\d\d\.\d{7})\d+", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private static readonly string[] RfcFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd't'HH:mm:ssK", "yyyy-MM-dd't'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd' 'HH:mm:ssK", "yyyy-MM-dd' 'HH:mm:ss.FFFFFFFK",
    ];

    /// <summary>The property, or null when it is missing or JSON null; any other type than <paramref name="kind"/> fails.</summary>
    private static JsonElement? Field(JsonElement parent, string name, string where, JsonValueKind kind)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        // A boolean is either True or False.
        if (kind == JsonValueKind.True && value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value;
        }

        return Expect(value, kind, where);
    }

    private static JsonElement Expect(JsonElement value, JsonValueKind kind, string where) =>
        value.ValueKind == kind ? value : throw Wrong(where, Describe(kind), value.ValueKind);

    private static ImageConfigFormatException Wrong(string where, string wanted, JsonValueKind actual) =>
        new(where.Length == 0
            ? $"the image config should be {wanted}, not {Describe(actual)}"
            : $"the image config's {where} should be {wanted}, not {Describe(actual)}");

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : text.Substring(0, 40) + "…";
}
