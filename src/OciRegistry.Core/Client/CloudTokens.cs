using System;
using System.Text;

namespace OciRegistry.Core.Client;

/// <summary>
/// The user names and passwords cloud registries take for the tokens their own tools hand out, so that no
/// <c>docker login</c> is needed: Amazon ECR's authorization token (base64 of <c>AWS:&lt;password&gt;</c>, from
/// <c>Get-ECRAuthorizationToken</c> or <c>aws ecr get-authorization-token</c>), Google's OAuth access token (user
/// <c>oauth2accesstoken</c>), and Azure's refresh token from the exchange (user <c>&lt;token&gt;</c>, an identity token).
/// </summary>
/// <remarks>
/// https://docs.aws.amazon.com/AmazonECR/latest/userguide/registry_auth.html;
/// https://cloud.google.com/artifact-registry/docs/docker/authentication#token.
/// </remarks>
public static class CloudTokens
{
    /// <summary>The user name Google's registries take with an OAuth access token as the password.</summary>
    public const string GoogleUserName = "oauth2accesstoken";

    /// <summary>The user name that marks an identity (refresh) token, as docker's credential helpers write it.</summary>
    public const string IdentityTokenUserName = "<token>";

    /// <summary>The user name and password inside an ECR authorization token.</summary>
    public static (string UserName, string Password) FromEcrAuthorizationToken(string authorizationToken)
    {
        if (string.IsNullOrWhiteSpace(authorizationToken))
        {
            throw new ArgumentException("The ECR authorization token is empty.", nameof(authorizationToken));
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorizationToken.Trim()));
        }
        catch (FormatException e)
        {
            throw new ArgumentException("The ECR authorization token is not base64; pass the AuthorizationToken of Get-ECRAuthorizationToken as it is.", nameof(authorizationToken), e);
        }

        var colon = decoded.IndexOf(':');
        if (colon <= 0 || colon == decoded.Length - 1)
        {
            throw new ArgumentException("The ECR authorization token does not hold user:password once decoded.", nameof(authorizationToken));
        }

        return (decoded.Substring(0, colon), decoded.Substring(colon + 1));
    }
}
