using System;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.References;

namespace OciRegistry.TestRegistry;

/// <summary>
/// The door of the registry listener: lets a request through, or answers 401 with a challenge (RFC 9110 §11.6.1)
/// or 403 for a token without the scope the request needs (RFC 6750 §3.1: <c>error="insufficient_scope"</c>):
/// pull to read, push to upload or put manifests, delete to delete. Basic credentials allow everything; without
/// them, <see cref="TestRegistryOptions.AllowAnonymousPull"/> lets reads through. The catalog is open to any live
/// token, and lists what that token may see.
/// The token endpoint itself and the CDN origin are not behind it.
/// </summary>
internal sealed class RegistryAuthenticator
{
    private const string BasicChallenge = "Basic realm=\"OciRegistry test registry\"";

    private readonly TestRegistryAuthMode _mode;
    private readonly NetworkCredential? _credential;
    private readonly bool _allowAnonymous;
    private readonly string _realm;
    private readonly string _service;

    /// <param name="options">The mode, account, token lifetime and clock.</param>
    /// <param name="registryUrl">The registry's base URL; the realm is <c>/token</c> under it.</param>
    /// <param name="service">The <c>service</c> the challenge names and the token endpoint expects.</param>
    public RegistryAuthenticator(TestRegistryOptions options, Uri registryUrl, string service)
    {
        _mode = options.Authentication;
        _credential = options.Credential;
        _allowAnonymous = options.AllowAnonymousPull;
        _realm = new Uri(registryUrl, TokenService.Path).AbsoluteUri;
        _service = service;
        if (_mode == TestRegistryAuthMode.Bearer)
        {
            Tokens = new TokenService(_credential, _allowAnonymous, options.TokenLifetime, options.TimeProvider, service, BasicChallenge) { AzureAccessToken = options.AzureAccessToken };
        }
    }

    /// <summary>The token endpoint in bearer mode; null otherwise.</summary>
    public TokenService? Tokens { get; }

    /// <summary>The token endpoint's URL in bearer mode; null otherwise.</summary>
    public Uri? Realm => Tokens is null ? null : new Uri(_realm);

    /// <summary>Checks the mode's options before anything listens.</summary>
    public static void Validate(TestRegistryOptions options)
    {
        if (options.Authentication is < TestRegistryAuthMode.Anonymous or > TestRegistryAuthMode.Bearer)
        {
            throw new ArgumentException($"{options.Authentication} is not an authentication mode", nameof(options));
        }

        if (options.Authentication == TestRegistryAuthMode.Basic && options.Credential is null)
        {
            throw new ArgumentException("Basic authentication needs a credential", nameof(options));
        }

        if (options.Authentication == TestRegistryAuthMode.Bearer && options.Credential is null && !options.AllowAnonymousPull && options.AzureAccessToken is null)
        {
            throw new ArgumentException("bearer authentication needs a credential, anonymous pulls, an Azure access token to exchange, or several", nameof(options));
        }

        if (options.TokenLifetime < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentException("tokens must live at least one second: expires_in counts whole seconds", nameof(options));
        }

        if (options.TimeProvider is null)
        {
            throw new ArgumentException("the test registry needs a clock", nameof(options));
        }
    }

    /// <summary>Lets the request through (true) or sends the 401 or 403 that refuses it (false).</summary>
    public async Task<bool> AuthorizeAsync(RegistryExchange exchange, RegistryRoute route, RegistryAction action, CancellationToken cancellationToken)
    {
        var authorization = exchange.Request.Headers["Authorization"];
        switch (_mode)
        {
            case TestRegistryAuthMode.Basic:
                if (authorization is null && _allowAnonymous && action == RegistryAction.Pull)
                {
                    exchange.Grants = (_, wanted) => wanted == RegistryAction.Pull;
                    return true;
                }

                if (BasicCredentials.Match(authorization, _credential))
                {
                    return true;
                }

                exchange.SetHeader("WWW-Authenticate", BasicChallenge);
                await exchange.SendErrorAsync(HttpStatusCode.Unauthorized, RegistryErrorCode.Unauthorized,
                    authorization is null ? "authentication required" : "wrong user name or password", cancellationToken).ConfigureAwait(false);
                return false;

            case TestRegistryAuthMode.Bearer:
                var repository = RepositoryOf(route);
                var tokens = Tokens!;
                var check = tokens.Check(authorization, repository, action);
                if (check == TokenCheck.Valid)
                {
                    // What the request may see of other repositories: a mount's source, the catalog's names. A token
                    // with the catalog scope sees every repository there, since its holder may pull any of them.
                    exchange.Grants = route.Kind == RegistryRouteKind.Catalog && tokens.GrantsCatalog(authorization)
                        ? (_, wanted) => wanted == RegistryAction.Pull
                        : (name, wanted) => tokens.Check(authorization, name, wanted) == TokenCheck.Valid;
                    return true;
                }

                if (check == TokenCheck.InsufficientScope)
                {
                    exchange.SetHeader("WWW-Authenticate", BearerChallenge(repository, action, "insufficient_scope"));
                    await exchange.SendErrorAsync(HttpStatusCode.Forbidden, RegistryErrorCode.Denied,
                        $"the token does not grant {TokenService.ActionName(action)} on the repository '{repository}'", cancellationToken).ConfigureAwait(false);
                    return false;
                }

                exchange.SetHeader("WWW-Authenticate", BearerChallenge(repository, action, check == TokenCheck.Invalid ? "invalid_token" : null, route.Kind == RegistryRouteKind.Catalog));
                await exchange.SendErrorAsync(HttpStatusCode.Unauthorized, RegistryErrorCode.Unauthorized,
                    check == TokenCheck.Invalid ? "the token is unknown or has expired" : "authentication required", cancellationToken).ConfigureAwait(false);
                return false;

            default:
                return true;
        }
    }

    // A scope names a valid repository; a malformed name needs any live token and then gets its NAME_INVALID.
    private static string? RepositoryOf(RegistryRoute route) =>
        route.Kind is RegistryRouteKind.Manifest or RegistryRouteKind.Blob or RegistryRouteKind.TagList or RegistryRouteKind.BlobUpload or RegistryRouteKind.Referrers &&
        Reference.IsValidRepository(route.Name)
            ? route.Name
            : null;

    // https://distribution.github.io/distribution/spec/auth/token/#how-to-authenticate
    private string BearerChallenge(string? repository, RegistryAction action, string? error, bool catalog = false)
    {
        var parts = new List<string> { $"realm=\"{_realm}\"", $"service=\"{_service}\"" };
        if (catalog)
        {
            parts.Add($"scope=\"{TokenService.CatalogScope}\"");
        }
        else if (repository is not null)
        {
            // Pushing needs pull as well: a client checks what is there before it uploads.
            var actions = action switch
            {
                RegistryAction.Push => "pull,push",
                RegistryAction.Delete => "delete",
                _ => "pull",
            };
            parts.Add($"scope=\"repository:{repository}:{actions}\"");
        }

        if (error is not null)
        {
            parts.Add($"error=\"{error}\"");
        }

        return "Bearer " + string.Join(",", parts);
    }
}
