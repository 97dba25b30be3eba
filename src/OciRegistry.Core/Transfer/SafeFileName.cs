using System;
using System.Globalization;
using System.Linq;
using System.Text;

namespace OciRegistry.Core.Transfer;

/// <summary>
/// Decides whether a name from a registry (an <c>org.opencontainers.image.title</c> annotation) may become a file
/// name inside a destination folder, on any OS: one plain component, nothing that climbs out, names a drive or
/// a device, or that Windows would silently alter, nothing that ends like the working files a download keeps
/// beside its target (<c>.partial</c>, <c>.partial.json</c>), which another blob's download would share, nothing
/// so long that those working files could not be created, and nothing that would show as another name
/// (direction overrides, zero-width and other invisible characters).
/// </summary>
public static class SafeFileName
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    private static readonly string[] ReservedNames =
    [
        "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
        "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "COM¹", "COM²", "COM³",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "LPT¹", "LPT²", "LPT³",
    ];

    /// <summary>Null when <paramref name="name"/> is safe, else why it is not.</summary>
    public static string? Problem(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "the name is empty";
        }

        // The longest name a download creates is the sidecar's; file systems count 255 UTF-8 bytes (ext4, APFS)
        // or 255 UTF-16 units (NTFS).
        var longest = name!.Length + PartialDownload.SidecarSuffix.Length;
        if (longest > 255 || Utf8.GetByteCount(name) + PartialDownload.SidecarSuffix.Length > 255)
        {
            return $"the name is too long: with '{PartialDownload.SidecarSuffix}' added for the download's working file it must fit in 255 bytes of UTF-8 and 255 UTF-16 units";
        }

        if (name is "." or ".." || name.Split('/', '\\').Any(part => part == ".."))
        {
            return "the name climbs out of the destination ('..')";
        }

        if (name.IndexOf('/') >= 0 || name.IndexOf('\\') >= 0)
        {
            return "the name contains a path separator";
        }

        if (name.IndexOf(':') >= 0)
        {
            return "the name contains ':' (a drive or an alternate data stream on Windows)";
        }

        if (name.Any(c => c < 0x20 || c == 0x7F || "<>\"|?*".IndexOf(c) >= 0))
        {
            return "the name contains a control character or one of < > \" | ? *";
        }

        for (var i = 0; i < name.Length; i++)
        {
            var ch = name[i];
            if (char.IsHighSurrogate(ch) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]))
            {
                i++;
                continue;
            }

            if (char.IsSurrogate(ch))
            {
                return "the name is not valid Unicode (a lone surrogate)";
            }

            if (CharUnicodeInfo.GetUnicodeCategory(ch) == UnicodeCategory.Format)
            {
                // U+202E and its kin reorder what a listing shows ("invoice\u202Etxt.exe" reads as invoice-exe.txt);
                // zero-width characters make two names look alike.
                return $"the name holds an invisible or text-direction character (U+{(int)ch:X4}), which would make it show as another name";
            }
        }

        if (name.EndsWith(".", StringComparison.Ordinal) || name.EndsWith(" ", StringComparison.Ordinal) || name.StartsWith(" ", StringComparison.Ordinal))
        {
            return "the name starts with a space or ends with a space or a dot, which Windows would drop";
        }

        if (name.EndsWith(PartialDownload.DataSuffix, StringComparison.OrdinalIgnoreCase) ||
            name.EndsWith(PartialDownload.SidecarSuffix, StringComparison.OrdinalIgnoreCase))
        {
            return $"the name ends with '{PartialDownload.DataSuffix}' or '{PartialDownload.SidecarSuffix}', which downloads use for their working files";
        }

        var stem = name.Split('.')[0].TrimEnd(' ');
        if (ReservedNames.Any(r => string.Equals(r, stem, StringComparison.OrdinalIgnoreCase)))
        {
            return $"'{stem}' is a reserved device name on Windows";
        }

        return null;
    }
}
