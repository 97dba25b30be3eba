using System;
using System.Collections.Generic;

namespace OciRegistry.Core.Client;

/// <summary>
/// The registry or its token service would not let us in: missing or wrong credentials, or no usable challenge.
/// Never contains a credential or token.
/// </summary>
public sealed class RegistryAuthenticationException : RegistryResponseException
{
    /// <summary>Creates the exception from a refused request.</summary>
    public RegistryAuthenticationException(
        string method,
        string redactedUrl,
        int statusCode,
        string? reasonPhrase,
        IReadOnlyList<RegistryError> errors,
        string? bodyText,
        string hint,
        bool credentialsRefused = false)
        : base(method, redactedUrl, statusCode, reasonPhrase, errors, bodyText, retryAfter: null, hint)
    {
        CredentialsRefused = credentialsRefused;
    }

    /// <summary>Creates the exception for a problem found before any credential was sent.</summary>
    public RegistryAuthenticationException(string method, string redactedUrl, string hint)
        : base(method, redactedUrl, 401, "Unauthorized", Array.Empty<RegistryError>(), null, null, hint)
    {
    }

    /// <summary>
    /// True when credentials were sent and refused (a wrong password or token, or one without access), false when
    /// none were sent: the two want different remedies.
    /// </summary>
    public bool CredentialsRefused { get; }
}
