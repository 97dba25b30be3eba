using System;
using System.Collections.Generic;
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
    public bool BelongsTo(Digest digest, long size) => TryRead(digest, size, out _);

    /// <summary>
    /// Whether a partial file for exactly this blob is there to resume, and, for one that parallel ranges wrote, the
    /// parts of the blob and how far each got (null for one written in order, whose length says how far it got).
    /// Parts that do not tile the blob exactly, in order, are not trusted: the partial file is not this blob's then.
    /// </summary>
    public bool TryRead(Digest digest, long size, out List<BlobPart>? parts)
    {
        parts = null;
        if (RegularFile.GetStatus(DataPath).Kind != FileKind.Regular || RegularFile.GetStatus(SidecarPath).Kind != FileKind.Regular)
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(RegularFile.ReadAllBytesCapped(SidecarPath, Limits.SidecarBytes, ContentKind.Blob));
            var root = document.RootElement;
            if (!(root.ValueKind == JsonValueKind.Object &&
                root.TryGetProperty("digest", out var d) && d.ValueKind == JsonValueKind.String && d.GetString() == digest.ToString() &&
                root.TryGetProperty("size", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt64(out var n) && n == size))
            {
                return false;
            }

            if (!root.TryGetProperty("parts", out var list))
            {
                return true;
            }

            parts = ReadParts(list, size);
            return parts is not null;
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException or ContentTooLargeException)
        {
            return false;
        }
    }

    /// <summary>Writes the sidecar before the first byte, so a partial file never exists without it.</summary>
    public void WriteSidecar(Digest digest, long size, string source)
    {
        var bytes = SidecarText(digest, size, source, parts: null);

        // CreateNew after Delete: whatever appears at the name in between fails the open rather than being written through.
        using var file = RegularFile.OpenWrite(SidecarPath, FileMode.CreateNew);
        file.Write(bytes, 0, bytes.Length);
    }

    /// <summary>
    /// Records how far each part of a download by parts got: in a sidecar created now (after <see cref="Delete"/>)
    /// when <paramref name="create"/>, else in place of the one there, opened for each record and closed again, so
    /// that anyone may read it meanwhile. It never says more than the partial file holds: the caller records bytes
    /// after writing them.
    /// </summary>
    public void RecordParts(Digest digest, long size, string source, IReadOnlyList<BlobPart> parts, bool create)
    {
        var text = SidecarText(digest, size, source, parts);
        using var sidecar = RegularFile.OpenWrite(SidecarPath, create ? FileMode.CreateNew : FileMode.Open);
        if (sidecar.Length > Limits.SidecarBytes)
        {
            // Grown by someone else: never padded to a size not ours to choose.
            sidecar.SetLength(0);
        }

        // One write over the old text, padded with spaces (JSON allows them) to at least its length, never a
        // truncation: a process killed at any point leaves either the old record or the new one.
        var bytes = new byte[Math.Max(text.Length, sidecar.Length)];
        Array.Copy(text, bytes, text.Length);
        for (var i = text.Length; i < bytes.Length; i++)
        {
            bytes[i] = (byte)' ';
        }

        sidecar.Write(bytes, 0, bytes.Length);
    }

    private static byte[] SidecarText(Digest digest, long size, string source, IReadOnlyList<BlobPart>? parts)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("digest", digest.ToString());
            writer.WriteNumber("size", size);
            writer.WriteString("source", source);
            writer.WriteString("started", DateTimeOffset.UtcNow.ToString("o", System.Globalization.CultureInfo.InvariantCulture));
            if (parts is not null)
            {
                // [start, end, bytes done from start] for each part, in order.
                writer.WriteStartArray("parts");
                foreach (var part in parts)
                {
                    writer.WriteStartArray();
                    writer.WriteNumberValue(part.Start);
                    writer.WriteNumberValue(part.End);
                    writer.WriteNumberValue(part.Done);
                    writer.WriteEndArray();
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static List<BlobPart>? ReadParts(JsonElement list, long size)
    {
        if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() is 0 or > BlobPart.MaximumCount)
        {
            return null;
        }

        var parts = new List<BlobPart>();
        long next = 0;
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Array || item.GetArrayLength() != 3)
            {
                return null;
            }

            var values = new long[3];
            var i = 0;
            foreach (var value in item.EnumerateArray())
            {
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out values[i++]))
                {
                    return null;
                }
            }

            var (start, end, done) = (values[0], values[1], values[2]);
            if (start != next || end <= start || end > size || done < 0 || done > end - start)
            {
                return null;
            }

            parts.Add(new BlobPart(start, end, done));
            next = end;
        }

        return next == size ? parts : null;
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
