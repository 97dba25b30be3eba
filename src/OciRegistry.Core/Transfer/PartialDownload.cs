using System;
using System.IO;
using System.Text;
using System.Text.Json;
using OciRegistry.Core.LocalFiles;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Transfer;

/// <summary>
/// The files beside a target while it downloads: <c>&lt;target&gt;.partial</c> with the bytes so far, and
/// <c>&lt;target&gt;.partial.json</c> naming the digest and size they belong to. A later run trusts a partial file
/// only when the sidecar names the same blob, and even then re-hashes its bytes rather than its size. Both names
/// must hold regular files of their own: a link or special file planted there is refused, never followed.
/// </summary>
internal sealed class PartialDownload
{
    /// <summary>The suffix of the partial file; no target name may end with it.</summary>
    public const string DataSuffix = ".partial";

    /// <summary>The suffix of the sidecar; no target name may end with it.</summary>
    public const string SidecarSuffix = ".partial.json";


    public PartialDownload(string targetPath)
    {
        TargetPath = targetPath;
        DataPath = targetPath + DataSuffix;
        SidecarPath = targetPath + SidecarSuffix;
    }

    public string TargetPath { get; }

    public string DataPath { get; }

    public string SidecarPath { get; }

    /// <summary>
    /// Refuses a symbolic link, a special file or (for the partial file) a hard link at either name: something
    /// planted there to make the download write, truncate or read somewhere else. Regular files are left to
    /// <see cref="BelongsTo"/>; the opens that follow check again on the handle.
    /// </summary>
    /// <exception cref="FileLinkRefusedException">A link is there.</exception>
    /// <exception cref="FileNotRegularException">A FIFO, a device, a directory or a socket is there.</exception>
    public void RefusePlantedFiles()
    {
        Refuse(DataPath, RegularFile.GetStatus(DataPath), hardLinks: true);
        Refuse(SidecarPath, RegularFile.GetStatus(SidecarPath), hardLinks: false);
    }

    /// <summary>Whether a partial file for exactly this blob is there to resume.</summary>
    public bool BelongsTo(Digest digest, long size)
    {
        if (RegularFile.GetStatus(DataPath).Kind != FileKind.Regular || RegularFile.GetStatus(SidecarPath).Kind != FileKind.Regular)
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(RegularFile.ReadAllBytesCapped(SidecarPath, Limits.SidecarBytes, ContentKind.Blob));
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object &&
                root.TryGetProperty("digest", out var d) && d.ValueKind == JsonValueKind.String && d.GetString() == digest.ToString() &&
                root.TryGetProperty("size", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt64(out var n) && n == size;
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException or ContentTooLargeException)
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

        // CreateNew after Delete: whatever appears at the name in between fails the open rather than being written through.
        using var file = RegularFile.OpenWrite(SidecarPath, FileMode.CreateNew);
        file.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Removes both files, ignoring those already gone. Deleting a link removes the link, never its target.</summary>
    public void Delete()
    {
        TryDelete(DataPath);
        TryDelete(SidecarPath);
    }

    /// <summary>Removes the sidecar once the partial file has become the target.</summary>
    public void DeleteSidecar() => TryDelete(SidecarPath);

    private static void Refuse(string path, FileStatus status, bool hardLinks)
    {
        switch (status.Kind)
        {
            case FileKind.Missing:
                return;
            case FileKind.SymbolicLink:
                throw new FileLinkRefusedException(path);
            case FileKind.Regular when hardLinks && status.LinkCount > 1:
                throw new FileLinkRefusedException(path, status.LinkCount);
            case FileKind.Regular:
                return;
            default:
                throw new FileNotRegularException(path, RegularFile.Describe(status.Kind));
        }
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
