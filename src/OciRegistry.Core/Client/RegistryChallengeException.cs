namespace OciRegistry.Core.Client;

/// <summary>
/// The registry asked for credentials (401) with a <c>WWW-Authenticate</c> header that cannot be used: not
/// parseable, or a Bearer challenge without a realm. Not a credentials problem: no credential would get past it.
/// </summary>
public sealed class RegistryChallengeException : OciException
{
    /// <summary>Creates the exception; <paramref name="header"/> is the header as sent, shortened and redacted here.</summary>
    public RegistryChallengeException(string method, string redactedUrl, string header)
        : base($"{method} {redactedUrl} asked for credentials with a WWW-Authenticate header that cannot be used: '{Excerpt(header)}'")
    {
        Url = redactedUrl;
    }

    /// <summary>The request URL with secrets removed.</summary>
    public string Url { get; }

    private static string Excerpt(string header)
    {
        var text = TextRedactor.Redact(header) ?? string.Empty;
        return text.Length <= 80 ? text : text.Substring(0, 80) + "…";
    }
}
