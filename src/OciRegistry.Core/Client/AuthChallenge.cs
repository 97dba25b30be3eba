using System;
using System.Collections.Generic;

namespace OciRegistry.Core.Client;

/// <summary>One challenge of a <c>WWW-Authenticate</c> header: a scheme with a token68 or parameters.</summary>
public sealed class AuthChallenge
{
    /// <summary>Creates a challenge.</summary>
    public AuthChallenge(string scheme, string? token68, IReadOnlyDictionary<string, string> parameters)
    {
        Scheme = scheme;
        Token68 = token68;
        Parameters = parameters;
    }

    /// <summary>The scheme as sent, e.g. <c>Bearer</c>; compare it case-insensitively.</summary>
    public string Scheme { get; }

    /// <summary>The token68 form of the credentials, when the challenge used it instead of parameters.</summary>
    public string? Token68 { get; }

    /// <summary>The parameters; names are case-insensitive.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; }

    /// <summary>The <c>realm</c> parameter.</summary>
    public string? Realm => Get("realm");

    /// <summary>The <c>service</c> parameter of a Bearer challenge.</summary>
    public string? Service => Get("service");

    /// <summary>The <c>scope</c> parameter of a Bearer challenge.</summary>
    public string? Scope => Get("scope");

    /// <summary>Whether this is a challenge of <paramref name="scheme"/>.</summary>
    public bool Is(string scheme) => string.Equals(Scheme, scheme, StringComparison.OrdinalIgnoreCase);

    private string? Get(string name) => Parameters.TryGetValue(name, out var value) ? value : null;
}
