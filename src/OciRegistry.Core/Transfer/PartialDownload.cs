using System;
using System.IO;
using System.Text;
using System.Text.Json;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Transfer;

/// <summary>
/// The files beside a target while it downloads: <c>&lt;target&gt;.partial</c> with the bytes so far, and
/// <c>&lt;target&gt;.partial.json</c> naming the digest and size they belong to. A later run trusts a partial file
/// only when the sidecar names the same blob, and even then re-hashes its bytes rather than its size.
/// </summary>
internal sealed class PartialDownload
{
    private const string DataSuffix = ".partial";
    private const string SidecarSuffix = ".partial.json";

    public PartialDownload(string targetPath)
    {
        TargetPath = targetPath;
        DataPath = targetPath + DataSuffix;
        SidecarPath = targetPath + SidecarSuffix;
    }

    public string TargetPath { get; }

    public string DataPath { get; }

    public string SidecarPath { get; }

    /// <summary>Whether a partial file for exactly this blob is there to resume.</summary>
    public bool BelongsTo(Digest digest, long size)
    {
        if (!File.Exists(DataPath) || !File.Exists(SidecarPath))
        {
            return false;
        }

        try
        {
            var info = new FileInfo(SidecarPath);
            if (info.Length > 4096)
            {
                return false;
            }

            using var document = JsonDocument.Parse(File.ReadAllBytes(SidecarPath));
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object &&
                root.TryGetProperty("digest", out var d) && d.ValueKind == JsonValueKind.String && d.GetString() == digest.ToString() &&
                root.TryGetProperty("size", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt64(out var n) && n == size;
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Writes the sidecar before the first byte, so a partial file never exists without it.</summary>
    public void WriteSidecar(Digest digest, long size, string source)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("digest", digest.ToString());
            writer.WriteNumber("size", size);
            writer.WriteString("source", source);
            writer.WriteString("started", DateTimeOffset.UtcNow.ToString("o", System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteEndObject();
        }

        File.WriteAllBytes(SidecarPath, buffer.ToArray());
    }

    /// <summary>Removes both files, ignoring those already gone.</summary>
    public void Delete()
    {
        TryDelete(DataPath);
        TryDelete(SidecarPath);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    public override string ToString() => DataPath;
}
