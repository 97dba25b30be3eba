using System;
using System.Text;

namespace OciRegistry.Core.Archive;

/// <summary>
/// A tar archive the reader refuses: malformed or truncated, or using a feature we do not read (sparse files,
/// multi-volume archives), or over a <see cref="TarLimits"/> cap. The message says what is wrong and where:
/// "the entry at byte 1536 ('a/b'): …".
/// </summary>
public sealed class TarFormatException : OciException
{
    /// <summary>How much of a hostile entry name a message shows.</summary>
    private const int MessageNameChars = 200;

    /// <summary>Creates the exception for the header at <paramref name="headerOffset"/>; <paramref name="entryName"/> is null when not yet known.</summary>
    public TarFormatException(long headerOffset, string? entryName, string problem, Exception? innerException = null)
        : base(BuildMessage(headerOffset, entryName, problem), innerException)
    {
        HeaderOffset = headerOffset;
        EntryName = entryName;
        Problem = problem;
    }

    /// <summary>The byte offset, in the decompressed tar, of the header the problem belongs to.</summary>
    public long HeaderOffset { get; }

    /// <summary>The entry's name as the archive gives it, when it was known; null otherwise.</summary>
    public string? EntryName { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; }

    private static string BuildMessage(long headerOffset, string? entryName, string problem) =>
        entryName is null
            ? $"the entry at byte {headerOffset}: {problem}"
            : $"the entry at byte {headerOffset} ('{Printable(entryName)}'): {problem}";

    /// <summary>The name with control characters escaped and its length capped: it comes from the archive.</summary>
    internal static string Printable(string name)
    {
        var text = new StringBuilder(Math.Min(name.Length, MessageNameChars) + 8);
        foreach (var c in name)
        {
            if (text.Length >= MessageNameChars)
            {
                text.Append('…');
                break;
            }

            if (char.IsControl(c))
            {
                text.Append("\\x").Append(((int)c).ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }
}
