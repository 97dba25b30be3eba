using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Layout;

/// <summary>
/// Writes an OCI image layout (https://github.com/opencontainers/image-spec/blob/main/image-layout.md):
/// <c>oci-layout</c>, <c>blobs/&lt;alg&gt;/&lt;hex&gt;</c> and <c>index.json</c>, whose entries name images with
/// <c>org.opencontainers.image.ref.name</c>. Several images can share one layout; blobs are shared by digest.
/// Files are written beside their final name and renamed into place, so a reader never sees half a file.
/// </summary>
public sealed class OciLayoutWriter
{

    /// <summary>Opens (creating if needed) the layout at <paramref name="root"/>.</summary>
    public OciLayoutWriter(string root)
    {
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(Root);
        var marker = Path.Combine(Root, "oci-layout");
        if (File.Exists(marker))
        {
            var text = File.ReadAllText(marker);
            if (text.IndexOf("\"" + OciLayoutReader.SupportedVersion + "\"", StringComparison.Ordinal) < 0)
            {
                throw new OciLayoutException(Root, $"its oci-layout file does not declare version {OciLayoutReader.SupportedVersion}");
            }
        }
        else
        {
            WriteAtomically(marker, System.Text.Encoding.UTF8.GetBytes("{\"imageLayoutVersion\":\"" + OciLayoutReader.SupportedVersion + "\"}"));
        }
    }

    /// <summary>The layout folder.</summary>
    public string Root { get; }

    /// <summary>Where the blob <paramref name="digest"/> lives; its folder exists after this call.</summary>
    public string BlobPath(Digest digest)
    {
        if (digest is null)
        {
            throw new ArgumentNullException(nameof(digest));
        }

        var folder = Path.Combine(Root, "blobs", digest.Algorithm);
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, digest.Encoded);
    }

    /// <summary>Writes a manifest's exact bytes as a blob, unless an identical file is there.</summary>
    public void WriteManifest(ManifestDocument document)
    {
        if (document is null)
        {
            throw new ArgumentNullException(nameof(document));
        }

        var path = BlobPath(document.Digest);
        var bytes = document.GetRawContent();
        if (File.Exists(path) && new FileInfo(path).Length == bytes.Length && document.Digest.ComputeSame(File.ReadAllBytes(path)) == document.Digest)
        {
            return;
        }

        WriteAtomically(path, bytes);
    }

    /// <summary>
    /// Adds <paramref name="descriptor"/> to <c>index.json</c> under <paramref name="refName"/>, replacing an entry
    /// with that name; without a name, adds it unless the digest is already listed. Other entries are kept as
    /// they are, unknown fields included.
    /// </summary>
    public void SetReference(Descriptor descriptor, string? refName)
    {
        if (descriptor is null)
        {
            throw new ArgumentNullException(nameof(descriptor));
        }

        var indexPath = Path.Combine(Root, "index.json");
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("schemaVersion", 2);
            writer.WriteString("mediaType", MediaTypes.OciIndex);
            writer.WriteStartArray("manifests");
            var present = false;
            foreach (var entry in ExistingEntries(indexPath))
            {
                var name = entry.TryGetProperty("annotations", out var a) && a.ValueKind == JsonValueKind.Object &&
                    a.TryGetProperty(OciLayoutReader.RefNameAnnotation, out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
                var digest = entry.TryGetProperty("digest", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
                if (refName is not null && name == refName)
                {
                    continue;
                }

                present |= refName is null && name is null && digest == descriptor.Digest.ToString();
                entry.WriteTo(writer);
            }

            if (!present)
            {
                DescriptorWriter.Write(writer, null, descriptor.MediaType, descriptor.Digest, descriptor.Size, descriptor.Platform,
                    refName is null ? null : [new(OciLayoutReader.RefNameAnnotation, refName)]);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        WriteAtomically(indexPath, buffer.ToArray());
    }

    private List<JsonElement> ExistingEntries(string indexPath)
    {
        var entries = new List<JsonElement>();
        if (!File.Exists(indexPath))
        {
            return entries;
        }

        if (new FileInfo(indexPath).Length > Limits.LayoutIndexBytes)
        {
            throw new OciLayoutException(Root, $"its index.json is larger than {Limits.LayoutIndexBytes} bytes");
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(indexPath));
            if (document.RootElement.ValueKind == JsonValueKind.Object &&
                document.RootElement.TryGetProperty("manifests", out var manifests) && manifests.ValueKind == JsonValueKind.Array)
            {
                foreach (var entry in manifests.EnumerateArray())
                {
                    entries.Add(entry.Clone());
                }
            }

            return entries;
        }
        catch (JsonException e)
        {
            throw new OciLayoutException(Root, "its index.json is not valid JSON", e);
        }
    }

    private static void WriteAtomically(string path, byte[] bytes)
    {
        var temporary = path + ".tmp-" + Guid.NewGuid().ToString("N").Substring(0, 8);
        using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            file.Write(bytes, 0, bytes.Length);
            file.Flush(flushToDisk: true);
        }

        if (File.Exists(path))
        {
            File.Delete(path);
        }

        File.Move(temporary, path);
    }
}
