using System;
using System.Net;
using System.Text;

namespace OciRegistry.TestRegistry;

/// <summary>Checks an <c>Authorization: Basic</c> header (RFC 7617 §2) against the one account a test registry has.</summary>
internal static class BasicCredentials
{
    /// <summary>Whether <paramref name="authorization"/> is Basic with exactly <paramref name="expected"/>'s user and password.</summary>
    public static bool Match(string? authorization, NetworkCredential? expected) =>
        expected is not null && TryDecode(authorization, out var user, out var password) &&
        string.Equals(user, expected.UserName, StringComparison.Ordinal) &&
        string.Equals(password, expected.Password, StringComparison.Ordinal);

    /// <summary>Whether <paramref name="username"/> and <paramref name="password"/> are <paramref name="expected"/>'s.</summary>
    public static bool Match(string? username, string? password, NetworkCredential? expected) =>
        expected is not null &&
        string.Equals(username, expected.UserName, StringComparison.Ordinal) &&
        string.Equals(password, expected.Password, StringComparison.Ordinal);

    private static bool TryDecode(string? authorization, out string user, out string password)
    {
        user = password = string.Empty;
        var text = authorization?.Trim() ?? string.Empty;
        const string Scheme = "Basic ";
        if (!text.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(text.Substring(Scheme.Length).Trim()));
        }
        catch (FormatException)
        {
            return false;
        }

        var colon = decoded.IndexOf(':');
        if (colon < 0)
        {
            return false;
        }

        user = decoded.Substring(0, colon);
        password = decoded.Substring(colon + 1);
        return true;
    }
}
