using System;
using System.Collections.Generic;
using System.Linq;

namespace OciRegistry.Core.Client;

/// <summary>
/// A registry or token service answered with an HTTP error. Carries the status, the spec error codes,
/// <c>Retry-After</c> and a redacted URL; the message is built from redacted parts only.
/// </summary>
public class RegistryResponseException : OciException
{
    /// <summary>Creates the exception.</summary>
    public RegistryResponseException(
        string method,
        string redactedUrl,
        int statusCode,
        string? reasonPhrase,
        IReadOnlyList<RegistryError> errors,
        string? bodyText,
        TimeSpan? retryAfter,
        string? hint = null,
        RateLimit? rateLimit = null)
        : base(BuildMessage(method, redactedUrl, statusCode, reasonPhrase, errors, bodyText, hint))
    {
        RateLimit = rateLimit;
        Method = method;
        Url = redactedUrl;
        StatusCode = statusCode;
        Errors = errors;
        BodyText = bodyText;
        RetryAfter = retryAfter;
    }

    /// <summary>The HTTP method of the failed request.</summary>
    public string Method { get; }

    /// <summary>The request URL with secrets removed.</summary>
    public string Url { get; }

    /// <summary>The HTTP status code.</summary>
    public int StatusCode { get; }

    /// <summary>The spec error entries, empty when the body was not a spec error list.</summary>
    public IReadOnlyList<RegistryError> Errors { get; }

    /// <summary>The body as text when it was not a spec error list (Docker Hub sends plain text on 429), shortened.</summary>
    public string? BodyText { get; }

    /// <summary>How long the server asked us to wait, if it sent <c>Retry-After</c>.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>The rate limit the response's headers state (Docker Hub sends it with a 429); null when they state none.</summary>
    public RateLimit? RateLimit { get; }

    /// <summary>Whether trying again later may succeed (see <see cref="RetryClassifier"/>).</summary>
    public bool IsTransient => RetryClassifier.IsTransientStatus(StatusCode);

    /// <summary>Whether the thing asked for does not exist: 404, or a <c>*_UNKNOWN</c> code.</summary>
    public bool IsNotFound => StatusCode == 404 || Errors.Any(e => e.Code.EndsWith("_UNKNOWN", StringComparison.Ordinal));

    private static string BuildMessage(string method, string url, int status, string? reason, IReadOnlyList<RegistryError> errors, string? body, string? hint)
    {
        var text = $"{method} {url} failed: HTTP {status}{(string.IsNullOrEmpty(reason) ? string.Empty : " " + reason)}";
        if (errors.Count > 0)
        {
            text += ": " + string.Join("; ", errors.Select(e => string.IsNullOrEmpty(e.Message) ? e.Code : e.Code + ": " + e.Message));
        }
        else if (!string.IsNullOrEmpty(body))
        {
            text += ": " + body;
        }

        if (hint is null)
        {
            return text;
        }

        // The registry's excerpt often ends its own sentence.
        return text + (text.EndsWith(".", StringComparison.Ordinal) || text.EndsWith("…", StringComparison.Ordinal) ? " " : ". ") + hint;
    }
}
