using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace OciRegistry.Core.Client;

/// <summary>Cloud sign-in: Azure Container Registry's exchange of an Entra access token.</summary>
public sealed partial class RegistryClient
{
    /// <summary>
    /// Exchanges an Entra (Azure AD) access token at the registry's <c>POST /oauth2/exchange</c> for a refresh
    /// token, as <c>az acr login</c> does, and returns it as an identity token: the token endpoint's refresh-token
    /// grant then gets access tokens per scope. The access token goes only to this registry, over its scheme.
    /// </summary>
    /// <remarks>https://github.com/Azure/acr/blob/main/docs/AAD-OAuth.md (exchange AAD access token for ACR refresh token).</remarks>
    public async Task<RegistryCredential> ExchangeAzureAccessTokenAsync(string accessToken, string? tenant = null, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(accessToken))
        {
            throw new ArgumentException("An access token is required.", nameof(accessToken));
        }

        // The access token is worth more than the registry (Entra tokens often reach Azure Resource Manager):
        // never in clear text across a network, whatever a configuration file says about the registry.
        if (BaseAddress.Scheme != Uri.UriSchemeHttps && !BaseAddress.IsLoopback)
        {
            throw new CloudTokenRefusedException(Registry, "the exchange would send the access token over plain HTTP; it is only sent over HTTPS (or to this machine)", null);
        }

        var url = new Uri(BaseAddress, "oauth2/exchange");
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "access_token"),
            new("service", Registry),
            new("access_token", accessToken),
        };
        if (!string.IsNullOrEmpty(tenant))
        {
            form.Add(new("tenant", tenant!));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        HttpResponseMessage response;
        try
        {
            response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (RegistryResponseException e) when (e.StatusCode is 400 or 401 or 403)
        {
            throw new CloudTokenRefusedException(Registry, e.BodyText ?? e.Message, e);
        }

        using var answer = response;
        var body = await BodyReader.ReadCappedAsync(response.Content!, Limits.TokenResponseBytes, ContentKind.TokenResponse, "exchange answer", cancellationToken).ConfigureAwait(false);
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object &&
                document.RootElement.TryGetProperty("refresh_token", out var refresh) && refresh.ValueKind == JsonValueKind.String &&
                refresh.GetString() is { Length: > 0 } token)
            {
                return RegistryCredential.FromIdentityToken(token);
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new TokenResponseInvalidException(UrlRedactor.Redact(url), "text that is not JSON");
        }

        throw new TokenResponseInvalidException(UrlRedactor.Redact(url), "JSON without a refresh_token");
    }
}
