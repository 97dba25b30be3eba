using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.TestRegistry.Http;
using OciRegistry.Core.References;

namespace OciRegistry.TestRegistry;

/// <summary>
/// The token endpoint of a bearer-authenticated test registry and the table of tokens it issued. Tokens are
/// opaque random strings checked here, each with the actions it grants per repository and an expiry, so clients can
/// be tested on scopes, expiry and refresh without any JWT. The account gets what it asks for of pull, push and
/// delete; anonymous tokens get pull only. Both get <c>registry:catalog:*</c> when they ask for it, since either
/// may pull every repository: a token with it lists every repository in <c>/v2/_catalog</c>, one without it only
/// those it grants pull on.
/// GET with optional Basic credentials: https://distribution.github.io/distribution/spec/auth/token/.
/// POST with <c>grant_type=password</c> or <c>refresh_token</c>: https://distribution.github.io/distribution/spec/auth/oauth/.
/// </summary>
/// <remarks>
/// Access tokens live <see cref="TestRegistryOptions.TokenLifetime"/>, refresh tokens <see cref="RefreshLifetime"/>
/// (or the access tokens' lifetime when that is longer), and both are forgotten once expired, so a long test run
/// holds only the tokens still alive.
/// </remarks>
internal sealed class TokenService
{
    /// <summary>The endpoint's path on the registry listener.</summary>
    public const string Path = "/token";

    /// <summary>Azure Container Registry's exchange of an Entra access token for a refresh token.</summary>
    public const string ExchangePath = "/oauth2/exchange";

    private const int MaxFormBytes = 64 * 1024;

    /// <summary>How long a refresh token lives at least: long enough to outlive many access tokens of a test run.</summary>
    internal static readonly TimeSpan RefreshLifetime = TimeSpan.FromHours(1);
    private const string FormType = "application/x-www-form-urlencoded";

    /// <summary>The scope that lists the whole catalog (https://distribution.github.io/distribution/spec/auth/scope/).</summary>
    internal const string CatalogScope = "registry:catalog:*";

    private readonly ExpiringTable<IssuedToken> _tokens = new();
    private readonly ExpiringTable<bool> _refreshTokens = new();
    private readonly NetworkCredential? _credential;
    private readonly bool _allowAnonymous;
    private readonly TimeSpan _lifetime;
    private readonly TimeProvider _time;
    private readonly string _service;
    private readonly string _basicChallenge;

    public TokenService(NetworkCredential? credential, bool allowAnonymous, TimeSpan lifetime, TimeProvider time, string service, string basicChallenge)
    {
        _credential = credential;
        _allowAnonymous = allowAnonymous;
        _lifetime = lifetime;
        _time = time;
        _service = service;
        _basicChallenge = basicChallenge;
    }

    /// <summary>The Entra access token <see cref="ExchangePath"/> accepts; null turns the exchange off.</summary>
    public string? AzureAccessToken { get; init; }

    /// <summary>How many access tokens the table holds.</summary>
    internal int AccessTokenCount => _tokens.Count;

    /// <summary>How many refresh tokens the table holds.</summary>
    internal int RefreshTokenCount => _refreshTokens.Count;

    /// <summary>What an <c>Authorization</c> header on a registry request is worth.</summary>
    public TokenCheck Check(string? authorization, string? repository, RegistryAction action = RegistryAction.Pull)
    {
        var text = authorization?.Trim() ?? string.Empty;
        const string Scheme = "Bearer ";
        if (!text.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return text.Length == 0 ? TokenCheck.Missing : TokenCheck.Invalid;
        }

        if (!TryFind(authorization, out var token))
        {
            return TokenCheck.Invalid;
        }

        return repository is null || (token.Grants.TryGetValue(repository, out var actions) && actions.Contains(ActionName(action)))
            ? TokenCheck.Valid
            : TokenCheck.InsufficientScope;
    }

    /// <summary>Whether the live token in <paramref name="authorization"/> has the <c>registry:catalog:*</c> scope.</summary>
    public bool GrantsCatalog(string? authorization) => TryFind(authorization, out var token) && token.Catalog;

    /// <summary>Answers a request to <see cref="Path"/>.</summary>
    public async Task HandleAsync(RegistryExchange exchange, CancellationToken cancellationToken)
    {
        var request = exchange.Request;
        switch (request.HttpMethod)
        {
            case "GET":
                await HandleGetAsync(exchange, cancellationToken).ConfigureAwait(false);
                break;
            case "POST":
                await HandlePostAsync(exchange, cancellationToken).ConfigureAwait(false);
                break;
            default:
                exchange.SetHeader("Allow", "GET, POST");
                await exchange.SendErrorAsync(HttpStatusCode.MethodNotAllowed, RegistryErrorCode.Unsupported, $"the token endpoint does not answer {request.HttpMethod}", cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    private Task HandleGetAsync(RegistryExchange exchange, CancellationToken cancellationToken)
    {
        var query = QueryString.FromTarget(exchange.Request.RawUrl);
        if (!IsOurService(query.First("service")))
        {
            return exchange.SendErrorAsync(HttpStatusCode.BadRequest, RegistryErrorCode.Unsupported, $"this token endpoint serves '{_service}' only", cancellationToken);
        }

        var authorization = exchange.Request.Headers["Authorization"];
        var allowed = authorization is null ? _allowAnonymous : BasicCredentials.Match(authorization, _credential);
        if (!allowed)
        {
            exchange.SetHeader("WWW-Authenticate", _basicChallenge);
            var message = authorization is null ? "anonymous pulls are not allowed: send a user name and password" : "wrong user name or password";
            return exchange.SendErrorAsync(HttpStatusCode.Unauthorized, RegistryErrorCode.Unauthorized, message, cancellationToken);
        }

        var (token, expires, _, _) = Issue(query.All("scope"), authenticated: authorization is not null);
        var body = JsonContent.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("token", token);
            writer.WriteString("access_token", token);
            writer.WriteNumber("expires_in", LifetimeSeconds);
            writer.WriteString("issued_at", (expires - _lifetime).ToString("o", CultureInfo.InvariantCulture));
            writer.WriteEndObject();
        });
        return exchange.SendAsync(HttpStatusCode.OK, "application/json", body, cancellationToken);
    }

    private async Task HandlePostAsync(RegistryExchange exchange, CancellationToken cancellationToken)
    {
        var request = exchange.Request;
        if (request.ContentType is not { } type || !type.StartsWith(FormType, StringComparison.OrdinalIgnoreCase))
        {
            await OAuthErrorAsync(exchange, HttpStatusCode.BadRequest, "invalid_request", $"send the grant as {FormType}", cancellationToken).ConfigureAwait(false);
            return;
        }

        var form = await ReadFormAsync(request, cancellationToken).ConfigureAwait(false);
        if (form is null)
        {
            await OAuthErrorAsync(exchange, HttpStatusCode.BadRequest, "invalid_request", $"the form is larger than {MaxFormBytes} bytes", cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!IsOurService(form.First("service")))
        {
            await OAuthErrorAsync(exchange, HttpStatusCode.BadRequest, "invalid_request", $"this token endpoint serves '{_service}' only", cancellationToken).ConfigureAwait(false);
            return;
        }

        var grant = form.First("grant_type");
        bool allowed;
        switch (grant)
        {
            case "password":
                allowed = BasicCredentials.Match(form.First("username"), form.First("password"), _credential);
                break;
            case "refresh_token":
                allowed = form.First("refresh_token") is { } refresh && _refreshTokens.TryGet(refresh, _time.GetUtcNow(), out _);
                break;
            default:
                await OAuthErrorAsync(exchange, HttpStatusCode.BadRequest, "unsupported_grant_type", $"grant_type must be password or refresh_token, not '{grant}'", cancellationToken).ConfigureAwait(false);
                return;
        }

        if (!allowed)
        {
            exchange.SetHeader("WWW-Authenticate", _basicChallenge);
            await OAuthErrorAsync(exchange, HttpStatusCode.Unauthorized, "invalid_grant", grant == "password" ? "wrong user name or password" : "unknown refresh token", cancellationToken).ConfigureAwait(false);
            return;
        }

        // OAuth2 puts several scopes in one space-separated value (RFC 6749 §3.3).
        var (token, expires, granted, catalog) = Issue(form.All("scope").SelectMany(s => s.Split([' '], StringSplitOptions.RemoveEmptyEntries)), authenticated: true);
        string? newRefresh = null;
        if (grant == "password")
        {
            newRefresh = NewSecret();
            var now = _time.GetUtcNow();
            _refreshTokens.Add(newRefresh, true, now + (_lifetime > RefreshLifetime ? _lifetime : RefreshLifetime), now);
        }

        var body = JsonContent.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("access_token", token);
            writer.WriteString("token_type", "Bearer");
            writer.WriteNumber("expires_in", LifetimeSeconds);
            writer.WriteString("issued_at", (expires - _lifetime).ToString("o", CultureInfo.InvariantCulture));
            var scopes = granted.Select(g => "repository:" + g.Key + ":" + string.Join(",", g.Value));
            writer.WriteString("scope", string.Join(" ", catalog ? scopes.Prepend(CatalogScope) : scopes));
            if (newRefresh is not null)
            {
                writer.WriteString("refresh_token", newRefresh);
            }

            writer.WriteEndObject();
        });
        await exchange.SendAsync(HttpStatusCode.OK, "application/json", body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>POST /oauth2/exchange</c> with <c>grant_type=access_token</c>, <c>service</c> and <c>access_token</c> (and
    /// optionally <c>tenant</c>), as ACR answers it: a refresh token for the token endpoint's refresh-token grant.
    /// https://github.com/Azure/acr/blob/main/docs/AAD-OAuth.md.
    /// </summary>
    public async Task HandleExchangeAsync(RegistryExchange exchange, CancellationToken cancellationToken)
    {
        var request = exchange.Request;
        if (request.HttpMethod != "POST")
        {
            exchange.SetHeader("Allow", "POST");
            await exchange.SendErrorAsync(HttpStatusCode.MethodNotAllowed, RegistryErrorCode.Unsupported, "the exchange takes POST", cancellationToken).ConfigureAwait(false);
            return;
        }

        var form = request.ContentType is { } type && type.StartsWith(FormType, StringComparison.OrdinalIgnoreCase)
            ? await ReadFormAsync(request, cancellationToken).ConfigureAwait(false)
            : null;
        if (form is null || form.First("grant_type") != "access_token" || form.First("access_token") is not { Length: > 0 } offered)
        {
            await OAuthErrorAsync(exchange, HttpStatusCode.BadRequest, "invalid_request", $"send grant_type=access_token, service and access_token as {FormType}", cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!IsOurService(form.First("service")))
        {
            await OAuthErrorAsync(exchange, HttpStatusCode.BadRequest, "invalid_request", $"this exchange serves '{_service}' only", cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!FixedTimeEquals(offered, AzureAccessToken!))
        {
            await OAuthErrorAsync(exchange, HttpStatusCode.Unauthorized, "invalid_grant", "the access token is not one this registry accepts", cancellationToken).ConfigureAwait(false);
            return;
        }

        var refresh = NewSecret();
        var now = _time.GetUtcNow();
        _refreshTokens.Add(refresh, true, now + (_lifetime > RefreshLifetime ? _lifetime : RefreshLifetime), now);
        var body = JsonContent.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("refresh_token", refresh);
            writer.WriteEndObject();
        });
        await exchange.SendAsync(HttpStatusCode.OK, "application/json", body, cancellationToken).ConfigureAwait(false);
    }

    private static bool FixedTimeEquals(string a, string b)
    {
        var x = Encoding.UTF8.GetBytes(a);
        var y = Encoding.UTF8.GetBytes(b);
        var difference = x.Length ^ y.Length;
        for (var i = 0; i < Math.Min(x.Length, y.Length); i++)
        {
            difference |= x[i] ^ y[i];
        }

        return difference == 0;
    }

    private long LifetimeSeconds => (long)Math.Ceiling(_lifetime.TotalSeconds);

    private bool IsOurService(string? service) => service is null || string.Equals(service, _service, StringComparison.Ordinal);

    /// <summary>The name a scope gives <paramref name="action"/>.</summary>
    public static string ActionName(RegistryAction action) => action switch
    {
        RegistryAction.Push => "push",
        RegistryAction.Delete => "delete",
        _ => "pull",
    };

    /// <summary>
    /// Issues a token for what <paramref name="scopes"/> ask of pull, push and delete (<c>*</c> is all three); an
    /// anonymous token gets pull only, either gets the catalog when it asks, and anything else asked for is not granted.
    /// </summary>
    private (string Token, DateTimeOffset Expires, IReadOnlyDictionary<string, SortedSet<string>> Granted, bool Catalog) Issue(IEnumerable<string> scopes, bool authenticated)
    {
        var grants = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        var catalog = false;
        foreach (var scope in scopes)
        {
            if (scope == CatalogScope)
            {
                catalog = true;
                continue;
            }

            // repository:<name>:<action>[,<action>]; the name holds no ':' but the split is from both ends anyway.
            var first = scope.IndexOf(':');
            var last = scope.LastIndexOf(':');
            if (first <= 0 || last <= first || scope.Substring(0, first) != "repository")
            {
                continue;
            }

            var name = scope.Substring(first + 1, last - first - 1);
            if (!Reference.IsValidRepository(name))
            {
                continue;
            }

            var asked = scope.Substring(last + 1).Split(',');
            IEnumerable<string> allowed = asked.Contains("*") ? new[] { "pull", "push", "delete" } : asked.Where(a => a is "pull" or "push" or "delete");
            foreach (var action in allowed.Where(a => authenticated || a == "pull"))
            {
                if (!grants.TryGetValue(name, out var actions))
                {
                    grants[name] = actions = new SortedSet<string>(StringComparer.Ordinal);
                }

                actions.Add(action);
            }
        }

        var now = _time.GetUtcNow();
        var token = NewSecret();
        var expires = now + _lifetime;
        _tokens.Add(token, new IssuedToken(grants.ToDictionary(g => g.Key, g => new HashSet<string>(g.Value, StringComparer.Ordinal), StringComparer.Ordinal), catalog), expires, now);
        return (token, expires, grants, catalog);
    }

    private static async Task<QueryString?> ReadFormAsync(HttpServerRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.InputStream.ReadAsync(chunk, 0, chunk.Length, cancellationToken).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxFormBytes)
            {
                return null;
            }
        }

        return QueryString.Parse(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static Task OAuthErrorAsync(RegistryExchange exchange, HttpStatusCode status, string error, string description, CancellationToken cancellationToken)
    {
        // RFC 6749 §5.2.
        var body = JsonContent.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("error", error);
            writer.WriteString("error_description", description);
            writer.WriteEndObject();
        });
        return exchange.SendAsync(status, "application/json", body, cancellationToken);
    }

    private static string NewSecret()
    {
        var bytes = new byte[24];
        using (var random = RandomNumberGenerator.Create())
        {
            random.GetBytes(bytes);
        }

        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    // The live token a "Bearer <token>" header names.
    private bool TryFind(string? authorization, out IssuedToken token)
    {
        var text = authorization?.Trim() ?? string.Empty;
        const string Scheme = "Bearer ";
        if (!text.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            token = null!;
            return false;
        }

        return _tokens.TryGet(text.Substring(Scheme.Length).Trim(), _time.GetUtcNow(), out token);
    }

    private sealed record IssuedToken(Dictionary<string, HashSet<string>> Grants, bool Catalog);
}
