using System;
using System.Collections.Generic;
using System.Linq;

namespace OciRegistry.Core.Models;

/// <summary>
/// The file name extension a blob of a media type would have on disk (<c>.tar.gz</c> for a gzip layer, <c>.json</c>
/// for a config), for files saved under their digest when the user asks for one. Media type parameters
/// (<c>;charset=utf-8</c>) are ignored; an unknown type has no extension rather than a guessed one. The same table
/// answers the reverse question for files being published (<see cref="MediaTypeFor"/>).
/// </summary>
/// <remarks>
/// Layer types: https://github.com/opencontainers/image-spec/blob/main/layer.md; structured suffixes (+json, +gzip,
/// +zstd): RFC 6839 and RFC 8460.
/// </remarks>
public static class MediaTypeExtension
{
    // In order of preference for the reverse question (which type a file of an extension gets): the first type
    // listed with an extension is the one a file name ending in it is given.
    private static readonly (string MediaType, string Extension)[] Table =
    [
        (MediaTypes.OciLayerTar, ".tar"),
        (MediaTypes.OciLayerGzip, ".tar.gz"),
        (MediaTypes.OciLayerZstd, ".tar.zst"),
        ("application/vnd.oci.image.layer.nondistributable.v1.tar", ".tar"),
        ("application/vnd.oci.image.layer.nondistributable.v1.tar+gzip", ".tar.gz"),
        ("application/vnd.oci.image.layer.nondistributable.v1.tar+zstd", ".tar.zst"),
        (MediaTypes.DockerLayerGzip, ".tar.gz"),
        ("application/vnd.docker.image.rootfs.foreign.diff.tar.gzip", ".tar.gz"),
        ("application/vnd.docker.container.image.rootfs.diff+x-gtar", ".tar"),
        ("application/json", ".json"),
        ("application/x-tar", ".tar"),
        ("application/tar", ".tar"),
        ("application/gzip", ".gz"),
        ("application/x-gzip", ".gz"),
        ("application/zstd", ".zst"),
        ("application/zip", ".zip"),
        ("application/wasm", ".wasm"),
        ("application/pdf", ".pdf"),
        ("application/yaml", ".yaml"),
        ("application/x-yaml", ".yaml"),
        ("application/octet-stream", string.Empty),
        ("text/plain", ".txt"),
        ("text/markdown", ".md"),
        ("text/html", ".html"),
        ("text/csv", ".csv"),
        ("image/png", ".png"),
        ("image/jpeg", ".jpg"),
        ("image/svg+xml", ".svg"),
    ];

    private static readonly Dictionary<string, string> Known = Table.ToDictionary(e => e.MediaType, e => e.Extension, StringComparer.OrdinalIgnoreCase);

    // Longest first, so that report.tar.gz is a gzip tar layer rather than plain gzip.
    private static readonly (string Extension, string MediaType)[] ByExtension =
        [.. Table.Where(e => e.Extension.Length > 0)
            .GroupBy(e => e.Extension, StringComparer.OrdinalIgnoreCase)
            .Select(g => (g.Key, g.First().MediaType))
            .OrderByDescending(e => e.Key.Length)];

    /// <summary>The extension with its dot (<c>.tar.gz</c>), or an empty string when the type has no known one.</summary>
    public static string For(string? mediaType)
    {
        if (string.IsNullOrWhiteSpace(mediaType))
        {
            return string.Empty;
        }

        var type = mediaType!;
        var semicolon = type.IndexOf(';');
        if (semicolon >= 0)
        {
            type = type.Substring(0, semicolon);
        }

        type = type.Trim();
        if (Known.TryGetValue(type, out var extension))
        {
            return extension;
        }

        // Structured suffixes say the encoding of types this table does not know (application/vnd.acme.config+json).
        var plus = type.LastIndexOf('+');
        if (plus > 0)
        {
            var tarBefore = type.Substring(0, plus).EndsWith(".tar", StringComparison.OrdinalIgnoreCase);
            switch (type.Substring(plus + 1).ToLowerInvariant())
            {
                case "json":
                    return ".json";
                case "gzip":
                    return tarBefore ? ".tar.gz" : ".gz";
                case "zstd":
                    return tarBefore ? ".tar.zst" : ".zst";
                case "yaml":
                    return ".yaml";
                case "xml":
                    return ".xml";
            }
        }

        return type.EndsWith(".tar", StringComparison.OrdinalIgnoreCase) ? ".tar" : string.Empty;
    }

    /// <summary>
    /// The reverse of <see cref="For"/>: the media type this table gives a file named <paramref name="fileName"/>
    /// (<c>notes.txt</c> is <c>text/plain</c>, <c>rootfs.tar.gz</c> a gzip layer), compared ignoring case; null when
    /// its extension is not in the table. A file published with this type and saved with its extension added comes
    /// back under the same extension.
    /// </summary>
    public static string? MediaTypeFor(string? fileName)
    {
        if (string.IsNullOrEmpty(fileName))
        {
            return null;
        }

        foreach (var (extension, mediaType) in ByExtension)
        {
            if (fileName!.Length > extension.Length && fileName.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
            {
                return mediaType;
            }
        }

        return null;
    }
}
