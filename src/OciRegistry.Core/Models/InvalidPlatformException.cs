namespace OciRegistry.Core.Models;

/// <summary>A platform that is not written <c>os/architecture[/variant]</c>.</summary>
public sealed class InvalidPlatformException : OciException
{
    /// <summary>Creates the exception; a lone architecture gets a suggestion (<c>amd64</c>: did you mean <c>linux/amd64</c>?).</summary>
    public InvalidPlatformException(string input)
        : base($"'{(input.Length > 80 ? input.Substring(0, 80) + "…" : input)}' is not a platform: write os/architecture[/variant], such as linux/amd64 or linux/arm64/v8" +
               (IsLoneWord(input) ? $" (for '{input.Trim()}', linux/{input.Trim().ToLowerInvariant()} or windows/{input.Trim().ToLowerInvariant()})" : string.Empty))
    {
        Input = input;
    }

    /// <summary>What was given.</summary>
    public string Input { get; }

    private static bool IsLoneWord(string input)
    {
        var text = input.Trim();
        if (text.Length is 0 or > 16)
        {
            return false;
        }

        foreach (var ch in text)
        {
            if (!char.IsLetterOrDigit(ch) && ch != '_')
            {
                return false;
            }
        }

        return true;
    }
}
