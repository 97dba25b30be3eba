using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Encodings.Web;
using System.Text.Json;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Models;

/// <summary>
/// Writes the image manifest of an artifact made of plain files, as the image-spec's artifact guidance has it: the
/// empty config unless the artifact has one, <c>artifactType</c>, one layer per file, an optional
/// <c>subject</c>. The bytes written are the bytes pushed, so their digest is the manifest's.
/// </summary>
/// <remarks>https://github.com/opencontainers/image-spec/blob/main/manifest.md#guidelines-for-artifact-usage</remarks>
public static class ArtifactManifestWriter
{
    // The default encoder escapes '+' (as \u002B), which would put "v1\u002Bjson" into every media type: legal,
    // but not what any registry or tool writes.
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly byte[] EmptyJson = [(byte)'{', (byte)'}'];

    /// <summary>The empty config's content, <c>{}</c> (a copy).</summary>
    public static byte[] EmptyConfigContent => (byte[])EmptyJson.Clone();

    /// <summary>The empty descriptor (https://github.com/opencontainers/image-spec/blob/main/manifest.md#guidance-for-an-empty-descriptor).</summary>
    public static Descriptor EmptyConfig { get; } = new() { MediaType = MediaTypes.OciEmpty, Digest = Digest.Compute(EmptyJson), Size = EmptyJson.Length };

    /// <summary>The manifest's bytes: keys in the spec's order, annotations in ordinal order of their keys.</summary>
    /// <param name="artifactType">The artifact type; null to leave it out (only when the config is not the empty one).</param>
    /// <param name="config">The config, <see cref="EmptyConfig"/> for none.</param>
    /// <param name="layers">The files, in order; each with its annotations (the title).</param>
    /// <param name="subject">The manifest this one refers to; null for none.</param>
    /// <param name="annotations">The manifest's annotations.</param>
    /// <exception cref="ArgumentException">The empty config without an artifact type, which the spec forbids.</exception>
    public static byte[] Write(string? artifactType, Descriptor config, IEnumerable<Descriptor> layers, Descriptor? subject, IEnumerable<KeyValuePair<string, string>>? annotations)
    {
        if (config is null)
        {
            throw new ArgumentNullException(nameof(config));
        }

        if (artifactType is null && config.MediaType == MediaTypes.OciEmpty)
        {
            throw new ArgumentException("an artifact with the empty config must have an artifact type", nameof(artifactType));
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            writer.WriteStartObject();
            writer.WriteNumber("schemaVersion", 2);
            writer.WriteString("mediaType", MediaTypes.OciManifest);
            if (artifactType is not null)
            {
                writer.WriteString("artifactType", artifactType);
            }

            DescriptorWriter.Write(writer, "config", config.MediaType, config.Digest, config.Size);
            writer.WriteStartArray("layers");
            foreach (var layer in layers ?? throw new ArgumentNullException(nameof(layers)))
            {
                DescriptorWriter.Write(writer, null, layer.MediaType, layer.Digest, layer.Size, annotations: layer.Annotations.OrderBy(a => a.Key, StringComparer.Ordinal));
            }

            writer.WriteEndArray();
            if (subject is not null)
            {
                DescriptorWriter.Write(writer, "subject", subject.MediaType, subject.Digest, subject.Size);
            }

            var sorted = (annotations ?? []).OrderBy(a => a.Key, StringComparer.Ordinal).ToList();
            if (sorted.Count > 0)
            {
                writer.WriteStartObject("annotations");
                foreach (var annotation in sorted)
                {
                    writer.WriteString(annotation.Key, annotation.Value);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
