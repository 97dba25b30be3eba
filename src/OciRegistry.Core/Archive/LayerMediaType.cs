using System;

namespace OciRegistry.Core.Archive;

/// <summary>
/// Sorts layer media types into what an unpacker must do with them. The compression part of the type is not
/// trusted (<see cref="LayerDecompressor"/> decides by magic bytes); this only says whether the blob is a tar at all.
/// </summary>
/// <remarks>
/// OCI image-spec layer.md (https://github.com/opencontainers/image-spec/blob/main/layer.md) and media-types.md;
/// Docker image manifest v2.2; ocicrypt's "+encrypted" suffix (containers/ocicrypt spec).
/// </remarks>
public static class LayerMediaType
{
    private const string EncryptedSuffix = "+encrypted";

    private static readonly string[] TarTypes =
    [
        "application/vnd.oci.image.layer.v1.tar",
        "application/vnd.oci.image.layer.v1.tar+gzip",
        "application/vnd.oci.image.layer.v1.tar+zstd",
        "application/vnd.docker.image.rootfs.diff.tar.gzip",
        "application/vnd.docker.image.rootfs.diff.tar",
    ];

    private static readonly string[] NonDistributableTypes =
    [
        "application/vnd.oci.image.layer.nondistributable.v1.tar",
        "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
        "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
        "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
    ];

    /// <summary>
    /// Classifies <paramref name="mediaType"/>, ignoring parameters (";…"), surrounding spaces and letter case
    /// (RFC 6838 §4.2: media type names are case-insensitive). A layer or non-distributable type with the
    /// "+encrypted" suffix is <see cref="LayerMediaKind.Encrypted"/>; an unrecognised or empty type is
    /// <see cref="LayerMediaKind.Unknown"/>.
    /// </summary>
    public static LayerMediaKind Classify(string mediaType)
    {
        if (string.IsNullOrEmpty(mediaType))
        {
            return LayerMediaKind.Unknown;
        }

        var parameters = mediaType.IndexOf(';');
        var type = (parameters < 0 ? mediaType : mediaType.Substring(0, parameters)).Trim();
        if (type.EndsWith(EncryptedSuffix, StringComparison.OrdinalIgnoreCase))
        {
            var inner = type.Substring(0, type.Length - EncryptedSuffix.Length);
            return IsOneOf(inner, TarTypes) || IsOneOf(inner, NonDistributableTypes) ? LayerMediaKind.Encrypted : LayerMediaKind.Unknown;
        }

        return IsOneOf(type, TarTypes) ? LayerMediaKind.Tar
            : IsOneOf(type, NonDistributableTypes) ? LayerMediaKind.NonDistributable
            : LayerMediaKind.Unknown;
    }

    private static bool IsOneOf(string type, string[] types) =>
        Array.Exists(types, known => string.Equals(known, type, StringComparison.OrdinalIgnoreCase));
}
