namespace OciRegistry.Core.Client;

/// <summary>
/// The token service answered 200, but not with a token: an empty body, an HTML page (a login portal or a proxy's
/// page), text that is not JSON, or JSON without a usable <c>token</c> or <c>access_token</c>.
/// </summary>
public sealed class TokenResponseInvalidException : OciException
{
    /// <summary>Creates the exception; <paramref name="what"/> says what came instead of a token.</summary>
    public TokenResponseInvalidException(string redactedUrl, string what)
        : base($"the token service at {redactedUrl} answered with {what}, not a token")
    {
        Url = redactedUrl;
    }

    /// <summary>The token request URL with secrets removed.</summary>
    public string Url { get; }
}
