using System;

namespace OciRegistry.Core.Client;

/// <summary>
/// A user name with a password, or an identity (refresh) token as <c>docker login</c> stores for Azure and others.
/// The secret is never part of <see cref="ToString"/>.
/// </summary>
public sealed class RegistryCredential
{
    private RegistryCredential(string username, string? password, string? identityToken)
    {
        Username = username;
        Password = password;
        IdentityToken = identityToken;
    }

    /// <summary>The user name.</summary>
    public string Username { get; }

    /// <summary>The password or personal access token, if this is a password credential.</summary>
    internal string? Password { get; }

    /// <summary>
    /// The OAuth2 refresh token, if this is an identity-token credential. Public for a host that hands it on as a
    /// credential of its own (New-OciCredential); <see cref="ToString"/> never shows it.
    /// </summary>
    public string? IdentityToken { get; }

    /// <summary>Whether this credential is an identity token rather than a password.</summary>
    public bool IsIdentityToken => IdentityToken is not null;

    /// <summary>A user name and password (or access token used as a password).</summary>
    public static RegistryCredential FromPassword(string username, string password)
    {
        if (string.IsNullOrEmpty(username))
        {
            throw new ArgumentException("A user name is required.", nameof(username));
        }

        if (username.IndexOf(':') >= 0)
        {
            throw new ArgumentException("A user name for Basic authentication cannot contain ':'.", nameof(username));
        }

        return new RegistryCredential(username, password ?? string.Empty, null);
    }

    /// <summary>An identity (refresh) token, exchanged at the token service with an OAuth2 POST.</summary>
    public static RegistryCredential FromIdentityToken(string identityToken, string? username = null)
    {
        if (string.IsNullOrEmpty(identityToken))
        {
            throw new ArgumentException("An identity token is required.", nameof(identityToken));
        }

        return new RegistryCredential(string.IsNullOrEmpty(username) ? "<token>" : username!, null, identityToken);
    }

    /// <summary>The value of a Basic <c>Authorization</c> header for this credential.</summary>
    internal string ToBasicParameter() =>
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Username + ":" + (Password ?? IdentityToken)));

    /// <summary>The user name and the kind of secret, never the secret.</summary>
    public override string ToString() => $"{Username} ({(IsIdentityToken ? "identity token" : "password")} hidden)";
}
