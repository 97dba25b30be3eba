using System.Collections.Generic;
using System.Text.Json;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Models;

/// <summary>Writes descriptor objects (https://github.com/opencontainers/image-spec/blob/main/descriptor.md) as JSON.</summary>
public static class DescriptorWriter
{
    /// <summary>Writes one descriptor, as the value of <paramref name="property"/> or, when it is null, as an array item.</summary>
    public static void Write(
        Utf8JsonWriter writer,
        string? property,
        string mediaType,
        Digest digest,
        long size,
        Platform? platform = null,
        IEnumerable<KeyValuePair<string, string>>? annotations = null)
    {
        if (property is null)
        {
            writer.WriteStartObject();
        }
        else
        {
            writer.WriteStartObject(property);
        }

        writer.WriteString("mediaType", mediaType);
        writer.WriteString("digest", digest.ToString());
        writer.WriteNumber("size", size);
        if (platform is not null)
        {
            writer.WriteStartObject("platform");
            writer.WriteString("architecture", platform.Architecture);
            writer.WriteString("os", platform.Os);
            if (platform.Variant is not null)
            {
                writer.WriteString("variant", platform.Variant);
            }

            writer.WriteEndObject();
        }

        var started = false;
        foreach (var annotation in annotations ?? [])
        {
            if (!started)
            {
                writer.WriteStartObject("annotations");
                started = true;
            }

            writer.WriteString(annotation.Key, annotation.Value);
        }

        if (started)
        {
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    /// <summary>The title annotation alone, or none.</summary>
    public static IEnumerable<KeyValuePair<string, string>>? Title(string? title) =>
        title is null ? null : [new(Descriptor.TitleAnnotation, title)];
}
