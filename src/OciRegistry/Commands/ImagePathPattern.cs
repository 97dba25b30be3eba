using System;
using System.Linq;
using System.Management.Automation;

namespace OciRegistry.Commands;

/// <summary>
/// A path in an image with PowerShell wildcards, matched component by component as a shell glob would be: <c>*</c>
/// never crosses a <c>/</c>, so <c>/usr/bin/*</c> is what <c>/usr/bin</c> holds, not everything below it.
/// </summary>
internal sealed class ImagePathPattern
{
    private readonly WildcardPattern[] _parts;

    private ImagePathPattern(string text)
    {
        _parts = Split(text).Select(part => new WildcardPattern(part, WildcardOptions.CultureInvariant)).ToArray();
    }

    /// <summary>Whether the text has wildcard characters at all.</summary>
    public static bool HasWildcards(string text) => WildcardPattern.ContainsWildcardCharacters(text);

    /// <summary>The test for normalised paths (no leading <c>/</c>).</summary>
    public static Func<string, bool> Compile(string text) => new ImagePathPattern(text).IsMatch;

    private static string[] Split(string text) => text.Split(['/'], StringSplitOptions.RemoveEmptyEntries).Where(part => part != ".").ToArray();

    private bool IsMatch(string path)
    {
        var parts = path.Split('/');
        if (parts.Length != _parts.Length)
        {
            return false;
        }

        for (var i = 0; i < parts.Length; i++)
        {
            if (!_parts[i].IsMatch(parts[i]))
            {
                return false;
            }
        }

        return true;
    }
}
