using System;
using System.Text;

namespace OciRegistry.Hosting;

/// <summary>
/// When two file names are one file: Unicode composed form, compared ignoring case, so that names a
/// case-insensitive or normalising file system (Windows, macOS, SMB) would map to one file (<c>Notes.txt</c>,
/// <c>notes.TXT</c>) are one name on every system. Save-OciBlob keys its targets by it, and Publish-OciArtifact its
/// titles, so that an artifact it publishes never holds two files that Save-OciBlob -UseTitle would refuse.
/// </summary>
internal static class FileNameKey
{
    /// <summary>Compares keys (from <see cref="Of"/>).</summary>
    public static StringComparer Comparer => StringComparer.OrdinalIgnoreCase;

    /// <summary>The key of <paramref name="name"/>.</summary>
    public static string Of(string name) => name.Normalize(NormalizationForm.FormC);
}
