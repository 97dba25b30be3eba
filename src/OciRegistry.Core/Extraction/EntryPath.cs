using System;
using System.Collections.Generic;
using System.Text;

namespace OciRegistry.Core.Extraction;

/// <summary>
/// Turns a tar entry's name into a path relative to the image root, or says why it may not have one. The result uses
/// <c>/</c>, has no empty, <c>.</c> or <c>..</c> component and no leading <c>/</c>; the root itself is "".
/// </summary>
/// <remarks>
/// A leading <c>./</c> is how many tools write names (GNU tar's <c>-C dir .</c>), so it is dropped; a leading
/// <c>/</c> is refused rather than stripped, as is any <c>..</c>, since no layer written by a builder has one. With
/// <c>windowsNames</c> the names Windows reads as something else are refused as well: a backslash (a separator
/// there), a colon (a drive or an alternate data stream), the device names (<c>CON</c>, <c>aux.txt</c>, <c>COM1</c>),
/// a trailing dot or space (silently dropped by Win32, so two entries would meet), and the characters Win32 forbids.
/// On Unix those are ordinary names (the Linux sources hold <c>aux.c</c>), so they are allowed there.
/// https://learn.microsoft.com/windows/win32/fileio/naming-a-file.
/// </remarks>
public static class EntryPath
{
    /// <summary>
    /// The most components a path may have. Real images stay under a few dozen; the bound keeps the per-entry work
    /// on a path's ancestors (each looked up on its own) small, whatever a layer repeats.
    /// </summary>
    public const int MaximumComponents = 256;

    private static readonly HashSet<string> WindowsDevices = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
        "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "COM\u00b9", "COM\u00b2", "COM\u00b3",
        "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "LPT\u00b9", "LPT\u00b2", "LPT\u00b3",
    };

    /// <summary>
    /// Normalises <paramref name="name"/>; false with a <paramref name="reason"/> ("has a '..' component") when it
    /// may not be written.
    /// </summary>
    public static bool TryNormalize(string name, bool windowsNames, out string path, out string reason)
    {
        path = string.Empty;
        reason = string.Empty;
        if (name.IndexOf('\0') >= 0)
        {
            reason = "has a NUL character in its name";
            return false;
        }

        if (name.StartsWith("/", StringComparison.Ordinal))
        {
            reason = "has an absolute path";
            return false;
        }

        var parts = new List<string>();
        foreach (var part in name.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                reason = "has a '..' component";
                return false;
            }

            if (windowsNames && !IsWindowsSafe(part, out reason))
            {
                return false;
            }

            parts.Add(part);
            if (parts.Count > MaximumComponents)
            {
                reason = $"has more than {MaximumComponents} path components";
                return false;
            }
        }

        path = string.Join("/", parts);
        return true;
    }

    /// <summary>
    /// Where a symbolic link at <paramref name="linkPath"/> with <paramref name="target"/> points, inside the root:
    /// an absolute target starts at the image root and <c>..</c> stops there, as <c>chroot</c> would see it.
    /// </summary>
    public static string ResolveLink(string linkPath, string target)
    {
        var parts = new List<string>();
        if (!target.StartsWith("/", StringComparison.Ordinal))
        {
            var parent = Parent(linkPath);
            if (parent.Length > 0)
            {
                parts.AddRange(parent.Split('/'));
            }
        }

        foreach (var part in target.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }

                continue;
            }

            parts.Add(part);
        }

        return string.Join("/", parts);
    }

    /// <summary>The parent of a normalised path; "" for a top-level entry.</summary>
    public static string Parent(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash < 0 ? string.Empty : path.Substring(0, slash);
    }

    /// <summary>The last component of a normalised path.</summary>
    public static string Leaf(string path) => path.Substring(path.LastIndexOf('/') + 1);

    /// <summary>Whether <paramref name="ancestor"/> is a proper ancestor of <paramref name="path"/> ("" is everyone's).</summary>
    public static bool IsUnder(string path, string ancestor) =>
        ancestor.Length == 0
            ? path.Length > 0
            : path.Length > ancestor.Length && path[ancestor.Length] == '/' && path.StartsWith(ancestor, StringComparison.Ordinal);

    /// <summary>The proper ancestors of a normalised path, outermost first ("a", "a/b" for "a/b/c").</summary>
    public static IEnumerable<string> Ancestors(string path)
    {
        for (var slash = path.IndexOf('/'); slash >= 0; slash = path.IndexOf('/', slash + 1))
        {
            yield return path.Substring(0, slash);
        }
    }

    /// <summary>A name as it may be printed: control characters escaped, long names shortened.</summary>
    public static string Printable(string name)
    {
        const int Shown = 200;
        var builder = new StringBuilder(Math.Min(name.Length, Shown + 16));
        foreach (var c in name)
        {
            if (builder.Length >= Shown)
            {
                builder.Append($"… ({name.Length} characters)");
                break;
            }

            builder.Append(c switch
            {
                '\0' => "\\0",
                < ' ' or '\u007f' => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }

        return builder.ToString();
    }

    private static bool IsWindowsSafe(string part, out string reason)
    {
        reason = string.Empty;
        foreach (var c in part)
        {
            if (c == '\\')
            {
                reason = "has a backslash in its name, a separator on Windows";
                return false;
            }

            if (c == ':')
            {
                reason = "has a colon in its name (a drive or a data stream on Windows)";
                return false;
            }

            if (c < ' ' || c is '<' or '>' or '"' or '|' or '?' or '*')
            {
                reason = "has a character in its name that Windows does not allow";
                return false;
            }
        }

        if (part.EndsWith(".", StringComparison.Ordinal) || part.EndsWith(" ", StringComparison.Ordinal))
        {
            reason = "ends with a dot or a space, which Windows drops";
            return false;
        }

        var stem = part.Split('.')[0].TrimEnd(' ');
        if (WindowsDevices.Contains(stem))
        {
            reason = $"is named after the Windows device {stem.ToUpperInvariant()}";
            return false;
        }

        return true;
    }
}
