using System;
using System.Text;

namespace OciRegistry.Core.Client;

/// <summary>
/// Makes URLs safe to print: user info is dropped and every query value other than <c>scope</c> and
/// <c>service</c> is replaced, because pre-signed CDN redirects carry credentials in the query.
/// </summary>
/// <remarks>Adapted from the seed's redactURLError and go-containerregistry's internal/redact.</remarks>
public static class UrlRedactor
{
    /// <summary>The text that replaces a secret value.</summary>
    public const string Placeholder = "REDACTED";

    /// <summary>The redacted form of <paramref name="uri"/>.</summary>
    public static string Redact(Uri? uri)
    {
        if (uri is null)
        {
            return string.Empty;
        }

        if (!uri.IsAbsoluteUri)
        {
            return RedactQuery(uri.OriginalString);
        }

        var builder = new StringBuilder();
        builder.Append(uri.Scheme).Append("://").Append(uri.Authority).Append(uri.AbsolutePath);
        var query = uri.Query;
        if (query.Length > 1)
        {
            builder.Append('?').Append(RedactPairs(query.Substring(1)));
        }

        return builder.ToString();
    }

    /// <summary>The redacted form of a URL given as text; text that is not a URL is returned with its query redacted.</summary>
    public static string Redact(string? url)
    {
        if (string.IsNullOrEmpty(url))
        {
            return string.Empty;
        }

        // Only text with a scheme is parsed as a URL: on Unix, Uri also takes "/v2/x?token=abc" as an absolute file
        // path, escapes its '?' into the path and so would print the query unredacted.
        return url!.IndexOf("://", StringComparison.Ordinal) > 0 && Uri.TryCreate(url, UriKind.Absolute, out var uri)
            ? Redact(uri)
            : RedactQuery(url);
    }

    private static string RedactQuery(string text)
    {
        var q = text.IndexOf('?');
        return q < 0 ? text : text.Substring(0, q + 1) + RedactPairs(text.Substring(q + 1));
    }

    private static string RedactPairs(string query)
    {
        var hash = query.IndexOf('#');
        if (hash >= 0)
        {
            query = query.Substring(0, hash);
        }

        var pairs = query.Split('&');
        for (var i = 0; i < pairs.Length; i++)
        {
            var eq = pairs[i].IndexOf('=');
            var name = eq < 0 ? pairs[i] : pairs[i].Substring(0, eq);
            var decoded = Uri.UnescapeDataString(name);
            if (eq >= 0 && decoded is not ("scope" or "service"))
            {
                pairs[i] = name + "=" + Placeholder;
            }
        }

        return string.Join("&", pairs);
    }
}
