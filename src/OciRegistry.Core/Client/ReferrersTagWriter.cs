using System.IO;
using System.Text.Json;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Client;

/// <summary>
/// Writes the index of the referrers tag schema with one more referrer: the counterpart of <see cref="ReferrersReader"/>.
/// Everything the index held (its other properties, each existing descriptor as it was written, unknown fields
/// included) is copied through untouched; only the new descriptor is added at the end of <c>manifests</c>.
/// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#referrers-tag-schema.
/// </summary>
internal static class ReferrersTagWriter
{
    /// <summary>
    /// The index <paramref name="existing"/> (null: none yet) with <paramref name="referrer"/> appended; null when it
    /// lists that digest already. Fails with <see cref="ReferrersUnavailableException"/> when the tag holds
    /// something other than an OCI index.
    /// </summary>
    public static byte[]? Append(byte[]? existing, Descriptor referrer, Reference tagged)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (existing is null)
            {
                writer.WriteNumber("schemaVersion", 2);
                writer.WriteString("mediaType", MediaTypes.OciIndex);
                writer.WriteStartArray("manifests");
                WriteDescriptor(writer, referrer);
                writer.WriteEndArray();
            }
            else if (!CopyWithReferrer(existing, referrer, tagged, writer))
            {
                return null;
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static bool CopyWithReferrer(byte[] existing, Descriptor referrer, Reference tagged, Utf8JsonWriter writer)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(existing, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new ReferrersUnavailableException(tagged.ToString(), $"the referrers tag holds something that is not JSON ({e.Message})");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object ||
                (root.TryGetProperty("mediaType", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() != MediaTypes.OciIndex) ||
                (root.TryGetProperty("manifests", out var list) && list.ValueKind != JsonValueKind.Array))
            {
                throw new ReferrersUnavailableException(tagged.ToString(), "the referrers tag names something other than an OCI index");
            }

            var sawManifests = false;
            foreach (var property in root.EnumerateObject())
            {
                if (property.NameEquals("manifests"))
                {
                    sawManifests = true;
                    writer.WriteStartArray("manifests");
                    foreach (var item in property.Value.EnumerateArray())
                    {
                        if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("digest", out var digest) &&
                            digest.ValueKind == JsonValueKind.String && digest.GetString() == referrer.Digest.ToString())
                        {
                            return false;
                        }

                        item.WriteTo(writer);
                    }

                    WriteDescriptor(writer, referrer);
                    writer.WriteEndArray();
                }
                else
                {
                    property.WriteTo(writer);
                }
            }

            if (!sawManifests)
            {
                writer.WriteStartArray("manifests");
                WriteDescriptor(writer, referrer);
                writer.WriteEndArray();
            }

            return true;
        }
    }

    /// <summary>A referrer's descriptor as the referrers API lists it: with <c>artifactType</c> and the referrer's annotations.</summary>
    private static void WriteDescriptor(Utf8JsonWriter writer, Descriptor referrer)
    {
        writer.WriteStartObject();
        writer.WriteString("mediaType", referrer.MediaType);
        writer.WriteString("digest", referrer.Digest.ToString());
        writer.WriteNumber("size", referrer.Size);
        if (!string.IsNullOrEmpty(referrer.ArtifactType))
        {
            writer.WriteString("artifactType", referrer.ArtifactType);
        }

        if (referrer.Annotations.Count > 0)
        {
            writer.WriteStartObject("annotations");
            foreach (var annotation in referrer.Annotations)
            {
                writer.WriteString(annotation.Key, annotation.Value);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }
}
