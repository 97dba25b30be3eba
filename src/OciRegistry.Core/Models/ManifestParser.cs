using System;
using System.Collections.Generic;
using System.Text.Json;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Models;

/// <summary>
/// Turns manifest bytes into <see cref="ImageManifest"/> or <see cref="ImageIndex"/>, checking the fields the
/// specs require and naming the first one that is wrong. Parsing is by hand over <see cref="JsonDocument"/> so
/// that every malformed input gets a precise message and nothing is bound by reflection.
/// </summary>
/// <remarks>
/// https://github.com/opencontainers/image-spec/blob/main/manifest.md,
/// https://github.com/opencontainers/image-spec/blob/main/image-index.md,
/// https://distribution.github.io/distribution/spec/manifest-v2-2/.
/// </remarks>
public static class ManifestParser
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64 };

    /// <summary>Parses <paramref name="raw"/>; <paramref name="contentType"/> is used when the document has no <c>mediaType</c>.</summary>
    /// <param name="raw">The exact bytes; kept by the result.</param>
    /// <param name="contentType">The response's Content-Type, or null.</param>
    /// <param name="digest">The digest of <paramref name="raw"/> if already computed; computed with sha256 otherwise.</param>
    /// <param name="source">The repository the bytes came from, stamped on every descriptor.</param>
    public static ManifestDocument Parse(byte[] raw, string? contentType = null, Digest? digest = null, Reference? source = null)
    {
        if (raw is null)
        {
            throw new ArgumentNullException(nameof(raw));
        }

        digest ??= Digest.Compute(raw);
        source = source?.RepositoryOnly();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(raw, Options);
        }
        catch (JsonException e)
        {
            throw new ManifestFormatException($"the manifest is not valid JSON: {e.Message}", innerException: e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ManifestFormatException("the manifest is not a JSON object");
            }

            var declared = OptionalString(root, "mediaType", "manifest");
            var schemaVersion = root.TryGetProperty("schemaVersion", out var sv) && sv.ValueKind == JsonValueKind.Number && sv.TryGetInt32(out var v) ? v : 0;
            var header = contentType is null ? null : contentType.Split(';')[0].Trim();
            if (MediaTypes.IsSchema1(declared) || MediaTypes.IsSchema1(header) || schemaVersion == 1)
            {
                throw new ManifestFormatException(
                    "Docker schema 1 manifests are not supported; the image must be pushed again with a current client (schema 2 or OCI)",
                    unsupportedMediaType: true);
            }

            if (schemaVersion != 2)
            {
                throw new ManifestFormatException("the manifest's schemaVersion must be 2");
            }

            var mediaType = declared ?? Sniff(root, header);
            if (declared is not null && header is not null && (MediaTypes.IsIndex(header) || MediaTypes.IsManifest(header)) && header != declared)
            {
                throw new ManifestFormatException($"the manifest says its media type is '{declared}' but the registry sent '{header}'");
            }

            var annotations = Annotations(root, "manifest");
            var artifactType = OptionalString(root, "artifactType", "manifest");
            var subject = root.TryGetProperty("subject", out var s) && s.ValueKind != JsonValueKind.Null ? ParseDescriptor(s, "subject", source) : null;
            if (MediaTypes.IsIndex(mediaType))
            {
                var manifests = Descriptors(root, "manifests", source, required: true);
                return new ImageIndex(raw, digest, mediaType, manifests)
                {
                    ArtifactType = artifactType,
                    Subject = subject,
                    Annotations = annotations,
                    Source = source,
                };
            }

            if (MediaTypes.IsManifest(mediaType))
            {
                if (!root.TryGetProperty("config", out var configElement))
                {
                    throw new ManifestFormatException("the manifest has no 'config'");
                }

                var config = ParseDescriptor(configElement, "config", source);
                var layers = Descriptors(root, "layers", source, required: mediaType == MediaTypes.DockerManifest);
                return new ImageManifest(raw, digest, mediaType, config, layers)
                {
                    ArtifactType = artifactType,
                    Subject = subject,
                    Annotations = annotations,
                    Source = source,
                };
            }

            throw new ManifestFormatException($"the media type '{mediaType}' is not a manifest type this module supports ({string.Join(", ", MediaTypes.ManifestAccept)})", unsupportedMediaType: true);
        }
    }

    /// <summary>Parses one descriptor object; <paramref name="path"/> names it in errors.</summary>
    public static Descriptor ParseDescriptor(JsonElement element, string path, Reference? source = null)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new ManifestFormatException($"'{path}' is not a descriptor object");
        }

        var mediaType = OptionalString(element, "mediaType", path)
            ?? throw new ManifestFormatException($"'{path}' has no mediaType");
        var digestText = OptionalString(element, "digest", path)
            ?? throw new ManifestFormatException($"'{path}' has no digest");
        if (!Digest.TryParse(digestText, out var digest, out var problem))
        {
            throw new ManifestFormatException($"'{path}.digest' is invalid: {problem}");
        }

        if (!element.TryGetProperty("size", out var sizeElement) || sizeElement.ValueKind != JsonValueKind.Number ||
            !sizeElement.TryGetInt64(out var size) || size < 0)
        {
            throw new ManifestFormatException($"'{path}.size' must be a non-negative integer");
        }

        Platform? platform = null;
        if (element.TryGetProperty("platform", out var p) && p.ValueKind != JsonValueKind.Null)
        {
            if (p.ValueKind != JsonValueKind.Object)
            {
                throw new ManifestFormatException($"'{path}.platform' is not an object");
            }

            var os = OptionalString(p, "os", path + ".platform") ?? throw new ManifestFormatException($"'{path}.platform' has no os");
            var architecture = OptionalString(p, "architecture", path + ".platform") ?? throw new ManifestFormatException($"'{path}.platform' has no architecture");
            platform = new Platform(os, architecture, OptionalString(p, "variant", path + ".platform"), OptionalString(p, "os.version", path + ".platform"), Strings(p, "os.features", path + ".platform"));
        }

        return new Descriptor
        {
            MediaType = mediaType,
            Digest = digest,
            Size = size,
            Urls = Strings(element, "urls", path),
            Annotations = Annotations(element, path),
            Platform = platform,
            ArtifactType = OptionalString(element, "artifactType", path),
            Source = source,
        };
    }

    private static string Sniff(JsonElement root, string? header)
    {
        if (header is not null && (MediaTypes.IsIndex(header) || MediaTypes.IsManifest(header)))
        {
            return header;
        }

        // The OCI spec lets mediaType be absent; the shape then tells which document this is.
        if (root.TryGetProperty("manifests", out _))
        {
            return MediaTypes.OciIndex;
        }

        if (root.TryGetProperty("config", out _))
        {
            return MediaTypes.OciManifest;
        }

        throw new ManifestFormatException($"the manifest has no mediaType and the registry sent '{header ?? "no content type"}'", unsupportedMediaType: true);
    }

    private static List<Descriptor> Descriptors(JsonElement parent, string name, Reference? source, bool required)
    {
        var list = new List<Descriptor>();
        if (!parent.TryGetProperty(name, out var array) || array.ValueKind == JsonValueKind.Null)
        {
            return required ? throw new ManifestFormatException($"the manifest has no '{name}'") : list;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new ManifestFormatException($"'{name}' is not an array");
        }

        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            list.Add(ParseDescriptor(item, $"{name}[{i++}]", source));
        }

        return list;
    }

    private static string? OptionalString(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? ReadString(value, $"{path}.{name}")
            : throw new ManifestFormatException($"'{path}.{name}' is not a string");
    }

    /// <summary>
    /// A JSON string may hold invalid UTF-8 or a lone surrogate escape (<c>"\uD800"</c>): JsonDocument accepts both,
    /// but turning them into a .NET string throws <see cref="InvalidOperationException"/>, which must not escape.
    /// </summary>
    private static string ReadString(JsonElement value, string path)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException e)
        {
            throw new ManifestFormatException($"'{path}' is not valid Unicode text", innerException: e);
        }
    }

    private static List<string> Strings(JsonElement parent, string name, string path)
    {
        var list = new List<string>();
        if (!parent.TryGetProperty(name, out var array) || array.ValueKind == JsonValueKind.Null)
        {
            return list;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new ManifestFormatException($"'{path}.{name}' is not an array");
        }

        foreach (var item in array.EnumerateArray())
        {
            list.Add(item.ValueKind == JsonValueKind.String ? ReadString(item, $"{path}.{name}") : throw new ManifestFormatException($"'{path}.{name}' holds a value that is not a string"));
        }

        return list;
    }

    private static Dictionary<string, string> Annotations(JsonElement parent, string path)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!parent.TryGetProperty("annotations", out var obj) || obj.ValueKind == JsonValueKind.Null)
        {
            return map;
        }

        if (obj.ValueKind != JsonValueKind.Object)
        {
            throw new ManifestFormatException($"'{path}.annotations' is not an object");
        }

        foreach (var property in obj.EnumerateObject())
        {
            string key;
            try
            {
                key = property.Name;
            }
            catch (InvalidOperationException e)
            {
                throw new ManifestFormatException($"'{path}.annotations' has a key that is not valid Unicode text", innerException: e);
            }

            map[key] = property.Value.ValueKind == JsonValueKind.String
                ? ReadString(property.Value, $"{path}.annotations.{key}")
                : throw new ManifestFormatException($"'{path}.annotations.{key}' is not a string");
        }

        return map;
    }
}
