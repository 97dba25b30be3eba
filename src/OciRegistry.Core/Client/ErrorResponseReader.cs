using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace OciRegistry.Core.Client;

/// <summary>Turns a failed response into a typed exception, reading at most <see cref="Limits.ErrorBodyBytes"/> of its body.</summary>
internal static class ErrorResponseReader
{

    /// <summary>Reads <paramref name="response"/>'s error body and disposes the response.</summary>
    /// <remarks>The whole body, redacted, goes to <paramref name="trace"/> as <see cref="HttpTraceKind.ErrorBody"/>.</remarks>
    public static async Task<RegistryResponseException> ReadAsync(HttpResponseMessage response, TimeProvider time, Action<HttpTraceEvent>? trace, CancellationToken cancellationToken)
    {
        using (response)
        {
            var request = response.RequestMessage;
            var method = request?.Method.Method ?? "GET";
            var url = UrlRedactor.Redact(request?.RequestUri);
            var status = (int)response.StatusCode;
            byte[] body;
            try
            {
                body = await BodyReader.ReadPrefixAsync(response.Content, Limits.ErrorBodyBytes, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is System.IO.IOException or HttpRequestException)
            {
                // The status says enough; a body that breaks off must not hide it.
                body = [];
            }

            if (trace is not null && body.Length > 0)
            {
                trace(new HttpTraceEvent(HttpTraceKind.ErrorBody, method, url, FullText(body), status));
            }

            var (errors, text) = ParseBody(body);

            // The reason phrase is the server's own words too.
            var reason = response.ReasonPhrase is { Length: > 0 } phrase ? Excerpt(phrase) : null;
            if (status == 401)
            {
                var sent = request?.Headers.Authorization;
                var refusal = sent is null
                    ? "The registry wants credentials, and none were sent"
                    : BasicUser(sent) is { } user
                        ? $"The registry refused the credentials of '{user}'"
                        : "The registry refused the credentials sent (a token from its token service that does not reach this repository or action)";
                return new RegistryAuthenticationException(method, url, status, reason, errors, text, refusal, credentialsRefused: sent is not null);
            }

            var retryAfter = RetryClassifier.RetryAfter(response, time.GetUtcNow());
            var rateLimit = RateLimit.FromHeaders(response.Headers);

            // Whether credentials went out decides what a 403 means: without any, the registry may simply want them.
            var hint = status == 429 ? TooManyRequestsHint(rateLimit, retryAfter)
                : status != 403 ? null
                : request?.Headers.Authorization is not null
                    ? "The registry accepted the credentials but refuses this repository or action to them"
                    : "No credentials were sent: the registry may want some, or it refuses this repository or action to anyone";
            return new RegistryResponseException(method, url, status, reason, errors, text, retryAfter, hint, rateLimit);
        }
    }

    /// <summary>
    /// What a 429 says about the limit: <c>The registry's rate limit: 0 of 100 left (per 6 h); it asks to wait 2 h 5 min</c>.
    /// Null when it sent neither rate-limit headers nor Retry-After.
    /// </summary>
    internal static string? TooManyRequestsHint(RateLimit? rateLimit, TimeSpan? retryAfter)
    {
        var parts = new List<string>();
        if (rateLimit is { Limit: not null } or { Remaining: not null })
        {
            parts.Add("The registry's rate limit: " + rateLimit);
        }

        if (retryAfter is { } wait)
        {
            parts.Add((parts.Count == 0 ? "The registry asks" : "it asks") + " to wait " + RateLimit.Duration(wait));
        }

        return parts.Count == 0 ? null : string.Join("; ", parts);
    }

    /// <summary>The user name of a Basic header (not a secret: traces show it too), or null for any other scheme.</summary>
    private static string? BasicUser(System.Net.Http.Headers.AuthenticationHeaderValue header)
    {
        if (!string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) || header.Parameter is null)
        {
            return null;
        }

        try
        {
            var pair = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
            var colon = pair.IndexOf(':');
            return colon > 0 ? Excerpt(pair.Substring(0, colon)) : "(no user name)";
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Parses a spec error list, or returns the body as short, printable text.</summary>
    public static (IReadOnlyList<RegistryError> Errors, string? Text) ParseBody(byte[] body)
    {
        if (body.Length == 0)
        {
            return (Array.Empty<RegistryError>(), null);
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object &&
                document.RootElement.TryGetProperty("errors", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                var errors = new List<RegistryError>();
                foreach (var item in list.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.Object)
                    {
                        continue;
                    }

                    var code = item.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : "UNKNOWN";
                    var message = item.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : string.Empty;
                    errors.Add(new RegistryError(Printable(code, 64), Excerpt(message)));
                }

                if (errors.Count > 0)
                {
                    return (errors, null);
                }
            }

            // An OAuth2 error (RFC 6749 §5.2), as token endpoints and ACR's exchange send: its code and description.
            if (document.RootElement.ValueKind == JsonValueKind.Object &&
                document.RootElement.TryGetProperty("error", out var oauthCode) && oauthCode.ValueKind == JsonValueKind.String)
            {
                var description = document.RootElement.TryGetProperty("error_description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
                return (Array.Empty<RegistryError>(), Excerpt(description is { Length: > 0 } ? $"{description} ({oauthCode.GetString()})" : oauthCode.GetString()!));
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not JSON (Docker Hub answers 429 with plain text), or JSON whose strings are not valid Unicode
            // (InvalidOperationException from GetString): fall through to text.
        }

        var text = Excerpt(Encoding.UTF8.GetString(body));
        return (Array.Empty<RegistryError>(), text.Length == 0 ? null : text);
    }

    /// <summary>
    /// What of a registry's own words goes into a message: redacted first (<see cref="TextRedactor"/>: a storage
    /// backend's error may echo a signed URL), then without the tags of an HTML or XML body, printable, on one line,
    /// and only its first sentence, at most
    /// <see cref="Limits.ErrorTextChars"/> characters.
    /// </summary>
    internal static string Excerpt(string text)
    {
        var redacted = TextRedactor.Redact(text)!;
        var line = Printable(redacted.TrimStart().StartsWith("<", StringComparison.Ordinal) ? WithoutTags(redacted) : redacted, int.MaxValue);
        var collapsed = new StringBuilder(Math.Min(line.Length, Limits.ErrorTextChars + 1));
        for (var i = 0; i < line.Length; i++)
        {
            var ch = line[i];
            if (ch == ' ' && collapsed.Length > 0 && collapsed[collapsed.Length - 1] == ' ')
            {
                continue;
            }

            if (collapsed.Length >= Limits.ErrorTextChars)
            {
                return collapsed.ToString().TrimEnd() + "…";
            }

            collapsed.Append(ch);

            // A full stop ends the sentence when a space or the end follows; "1.4" and "example.com" go on.
            if (ch is '.' or '!' or '?' && collapsed.Length >= 12 && (i + 1 == line.Length || line[i + 1] == ' '))
            {
                break;
            }
        }

        return collapsed.ToString().Trim();
    }

    /// <summary>All of an error body a debug line shows: redacted, printable, on one line.</summary>
    internal static string FullText(byte[] body) => Printable(TextRedactor.Redact(Encoding.UTF8.GetString(body))!, int.MaxValue);

    /// <summary>The words of an HTML page or an XML error (a storage bucket's), each tag a space.</summary>
    private static string WithoutTags(string markup)
    {
        var builder = new StringBuilder(markup.Length);
        var inTag = false;
        foreach (var ch in markup)
        {
            if (ch == '<')
            {
                inTag = true;
                builder.Append(' ');
            }
            else if (ch == '>' && inTag)
            {
                inTag = false;
            }
            else if (!inTag)
            {
                builder.Append(ch);
            }
        }

        return builder.ToString();
    }

    private static string Printable(string text, int max)
    {
        var builder = new StringBuilder(Math.Min(text.Length, max == int.MaxValue ? text.Length : max));
        foreach (var ch in text)
        {
            if (builder.Length >= max)
            {
                builder.Append('…');
                break;
            }

            builder.Append(char.IsControl(ch) ? ' ' : ch);
        }

        return builder.ToString().Trim();
    }
}
