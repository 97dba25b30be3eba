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
    public static async Task<RegistryResponseException> ReadAsync(HttpResponseMessage response, TimeProvider time, CancellationToken cancellationToken)
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

            var (errors, text) = ParseBody(body);
            if (status == 401)
            {
                return new RegistryAuthenticationException(method, url, status, response.ReasonPhrase, errors, text,
                    "The registry wants credentials that it accepts: none were sent, or it refused them");
            }

            var hint = status == 403 ? "The credentials are valid but lack permission for this repository or action" : null;
            return new RegistryResponseException(method, url, status, response.ReasonPhrase, errors, text,
                RetryClassifier.RetryAfter(response, time.GetUtcNow()), hint);
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
                    errors.Add(new RegistryError(Printable(code, 64), Printable(message, Limits.ErrorTextChars)));
                }

                if (errors.Count > 0)
                {
                    return (errors, null);
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not JSON (Docker Hub answers 429 with plain text), or JSON whose strings are not valid Unicode
            // (InvalidOperationException from GetString): fall through to text.
        }

        var text = Printable(Encoding.UTF8.GetString(body), Limits.ErrorTextChars);
        return (Array.Empty<RegistryError>(), text.Length == 0 ? null : text);
    }

    private static string Printable(string text, int max)
    {
        var builder = new StringBuilder(Math.Min(text.Length, max));
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
