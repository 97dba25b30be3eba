using System;
using System.Text;
using System.Text.RegularExpressions;

namespace OciRegistry.Core.Client;

/// <summary>
/// Takes secrets out of text that a registry, a token service or a storage backend wrote (error messages, plain
/// text or HTML bodies, XML errors of a bucket behind a redirect) before any of it reaches a message, a verbose or
/// a debug line: every URL inside the text has its user info and query values replaced (as <see cref="UrlRedactor"/> does), also when it
/// is XML-escaped (<c>&amp;amp;</c>) or JSON-escaped (<c>\u0026</c>, <c>\/</c>); <c>name=value</c> and
/// <c>"name": "value"</c> pairs whose name speaks of a token, a signature, a credential, a secret, a password or a
/// key; the word after <c>Bearer</c> or <c>Basic</c>; JWT-shaped strings; and the content of the XML elements in
/// which S3-style services echo what was signed. Everything becomes <see cref="UrlRedactor.Placeholder"/>.
/// </summary>
/// <remarks>
/// Every pattern starts at a fixed word or at the start of a run of name characters (a lookbehind), and no
/// quantified part can match in two ways, so the time is linear in the text: a megabyte of hostile text costs
/// milliseconds, not minutes.
/// </remarks>
public static class TextRedactor
{
    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.Compiled;

    // A URL runs until whitespace, a quote or an angle bracket (XML and HTML delimit them so).
    private static readonly Regex Url = new(@"\b(?:https?|wss?)(?<separator>://|:\\/\\/)[^\s""'<>`]+", Options);

    // XML elements whose content is the signed material or the signature itself.
    private static readonly Regex SignedElement = new(
        @"<(?<tag>StringToSign(?:Bytes)?|CanonicalRequest(?:Bytes)?|SignatureProvided|Signature|AWSAccessKeyId|X-Amz-[A-Za-z-]+|Credential|SecurityToken|Token)>[^<]*</\k<tag>>",
        Options);

    // The start of a name and a value, as in a query (a=b), a header-ish text (a: b) or JSON ("a": "b"): the name
    // and the separator only. Only a name at the start of its run of name characters is tried, and atomically, which
    // keeps a long run from being scanned once per character. The value is read by hand, and only after a secret
    // name, so that "denied: token=…" is tried as "denied" and then as "token" (a value may hold another pair).
    private static readonly Regex PairStart = new(
        @"(?<![A-Za-z0-9_%.\-])(?>(?<name>[A-Za-z0-9_%.\-]+))(?<quote>[""']?)(?<sep>\s*[:=]\s*)[""']?",
        Options);

    private static readonly Regex Scheme = new(@"\b(?<scheme>Bearer|Basic|Token)\s+(?<value>[A-Za-z0-9._~+/=\-]{8,})", Options);

    // header.payload.signature, each base64url; the header of a JWT starts with {" (eyJ).
    private static readonly Regex Jwt = new(@"(?<![A-Za-z0-9_\-])eyJ[A-Za-z0-9_\-]*\.[A-Za-z0-9_\-]+(?:\.[A-Za-z0-9_\-]*)?", Options);

    /// <summary>The text with every secret it may hold replaced; null stays null.</summary>
    public static string? Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        var result = SignedElement.Replace(text!, m => $"<{m.Groups["tag"].Value}>{UrlRedactor.Placeholder}</{m.Groups["tag"].Value}>");
        result = Url.Replace(result, m => RedactUrl(m.Value, m.Groups["separator"].Index + m.Groups["separator"].Length - m.Index));
        result = Scheme.Replace(result, m => m.Groups["scheme"].Value + " " + UrlRedactor.Placeholder);
        result = Jwt.Replace(result, UrlRedactor.Placeholder);
        result = RedactPairs(result);
        return result;
    }

    // Each value is scanned once at most (the search goes on after it), so the whole pass is linear.
    private static string RedactPairs(string text)
    {
        StringBuilder? builder = null;
        var copied = 0;
        var position = 0;
        Match pair;
        while (position < text.Length && (pair = PairStart.Match(text, position)).Success)
        {
            var valueStart = pair.Index + pair.Length;
            position = valueStart;
            if (!IsSecretName(pair.Groups["name"].Value))
            {
                continue;
            }

            var valueEnd = valueStart;
            while (valueEnd < text.Length && IsValueChar(text[valueEnd]))
            {
                valueEnd++;
            }

            if (valueEnd == valueStart || IsAlreadyRedacted(text.Substring(valueStart, valueEnd - valueStart)))
            {
                continue;
            }

            builder ??= new StringBuilder(text.Length);
            builder.Append(text, copied, valueStart - copied).Append(UrlRedactor.Placeholder);
            copied = valueEnd;
            position = valueEnd;
        }

        return builder is null ? text : builder.Append(text, copied, text.Length - copied).ToString();
    }

    private static bool IsValueChar(char ch) => !char.IsWhiteSpace(ch) && ch is not ('"' or '\'' or '&' or '<' or '>' or ',' or ';' or '}' or ']' or '\\');

    // "Authorization: Bearer REDACTED" is redacted already: the scheme word stays, to say what was sent.
    private static bool IsAlreadyRedacted(string value) =>
        value == UrlRedactor.Placeholder || value.Equals("Bearer", StringComparison.OrdinalIgnoreCase) || value.Equals("Basic", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether a pair's name (percent-decoded, case-insensitive) names something secret.</summary>
    internal static bool IsSecretName(string name)
    {
        var decoded = name.IndexOf('%') >= 0 ? SafeUnescape(name) : name;
        var lower = decoded.ToLowerInvariant();
        var amp = lower.LastIndexOf(';');
        if (amp >= 0)
        {
            // "amp;X-Amz-Signature" is what an XML-escaped query leaves before a name.
            lower = lower.Substring(amp + 1);
        }

        return lower is "sig" or "se" or "sv" or "skoid" or "sktid" or "code" or "auth" or "authorization" or "session" or "jwt" ||
            lower.EndsWith("token", StringComparison.Ordinal) ||
            lower.Contains("signature") ||
            lower.Contains("credential") ||
            lower.Contains("secret") ||
            lower.Contains("password") ||
            lower.EndsWith("key", StringComparison.Ordinal) ||
            lower.EndsWith("keyid", StringComparison.Ordinal) ||
            lower.EndsWith("accessid", StringComparison.Ordinal) ||
            lower.EndsWith("policy", StringComparison.Ordinal);
    }

    /// <summary>A URL found in text, escaped as XML or JSON or not: every query value replaced, user info dropped.</summary>
    private static string RedactUrl(string url, int schemeEnd)
    {
        var query = url.IndexOf('?');
        var at = url.IndexOf('@');
        var authorityEnd = url.IndexOfAny(['/', '\\', '?', '#'], schemeEnd);
        if (authorityEnd < 0)
        {
            authorityEnd = url.Length;
        }

        var builder = new StringBuilder(url.Length);
        if (at >= schemeEnd && at < authorityEnd)
        {
            // user:password@host: the user info goes, and the placeholder says that something was there.
            builder.Append(url, 0, schemeEnd).Append(UrlRedactor.Placeholder).Append(url, at, (query < 0 ? url.Length : query) - at);
        }
        else
        {
            builder.Append(url, 0, query < 0 ? url.Length : query);
        }

        if (query < 0)
        {
            return builder.ToString();
        }

        builder.Append('?');
        var i = query + 1;
        while (i < url.Length)
        {
            // The pair ends at the next separator: &, or its XML (&amp;) and JSON (\u0026) escapes.
            var end = NextSeparator(url, i, out var separatorLength);
            var pair = url.Substring(i, end - i);
            var eq = pair.IndexOf('=');
            if (eq < 0)
            {
                builder.Append(pair);
            }
            else
            {
                var name = pair.Substring(0, eq);
                builder.Append(name).Append('=').Append(IsKeptName(name) ? pair.Substring(eq + 1) : UrlRedactor.Placeholder);
            }

            if (end < url.Length)
            {
                builder.Append(url, end, separatorLength);
            }

            i = end + separatorLength;
        }

        return builder.ToString();
    }

    private static int NextSeparator(string url, int from, out int length)
    {
        for (var i = from; i < url.Length; i++)
        {
            if (url[i] == '#')
            {
                length = 0;
                return url.Length;
            }

            if (url[i] == '&')
            {
                length = string.CompareOrdinal(url, i, "&amp;", 0, 5) == 0 ? 5 : 1;
                return i;
            }

            if (url[i] == '\\' && string.Compare(url, i, "\\u0026", 0, 6, StringComparison.OrdinalIgnoreCase) == 0)
            {
                length = 6;
                return i;
            }
        }

        length = 0;
        return url.Length;
    }

    // As UrlRedactor: the token scope and service are what a user needs to see to understand an auth failure.
    private static bool IsKeptName(string name) => SafeUnescape(name) is "scope" or "service";

    private static string SafeUnescape(string text)
    {
        try
        {
            return Uri.UnescapeDataString(text);
        }
        catch (UriFormatException)
        {
            return text;
        }
    }
}
