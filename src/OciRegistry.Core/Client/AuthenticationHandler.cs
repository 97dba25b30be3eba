using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;

namespace OciRegistry.Core.Client;

/// <summary>
/// Answers 401 challenges. Bearer (https://distribution.github.io/distribution/spec/auth/token/): fetch a token
/// for the request's scope from the realm (anonymously, with Basic credentials, or with an OAuth2 refresh-token
/// POST for identity tokens), cache it per scope until it expires, retry once. A 401 on a cached token (expired or
/// revoked) drops it and fetches a fresh one. One token request per scope at a time: parallel requests that all
/// meet a 401 for one scope (the first pull, an expired or revoked token) share its answer, and other scopes do not
/// wait for it. Basic: attach the credentials when challenged, then keep sending them.
/// </summary>
internal sealed class AuthenticationHandler : DelegatingHandler
{
    private const string ClientId = "ociregistry";

    private readonly CredentialSource _credentials;
    private readonly TimeProvider _time;
    private readonly Action<HttpTraceEvent>? _trace;
    private readonly Dictionary<string, (string Token, DateTimeOffset Expires)> _tokens = new(StringComparer.Ordinal);

    // The token request running for a scope, if any; guarded, as _tokens is, by locking _tokens.
    private readonly Dictionary<string, TaskCompletionSource<string>> _fetching = new(StringComparer.Ordinal);
    private volatile bool _useBasic;

    public AuthenticationHandler(CredentialSource credentials, TimeProvider time, Action<HttpTraceEvent>? trace)
    {
        _credentials = credentials;
        _time = time;
        _trace = trace;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var scope = ScopeFor(request);
        var sentToken = request.Headers.Authorization is null ? Attach(request, scope) : null;
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if ((int)response.StatusCode != 401)
        {
            return response;
        }

        if (sentToken is not null)
        {
            Forget(scope, sentToken);
        }

        if (!ReplayableContent.Allows(request.Content))
        {
            // The body was a stream, and is spent: the 401 goes to the caller rather than an empty request again.
            return response;
        }

        var challenges = response.Headers.TryGetValues("WWW-Authenticate", out var values)
            ? WwwAuthenticateParser.Parse(values)
            : Array.Empty<AuthChallenge>();
        if (values is not null && (challenges.Count == 0 || challenges.Any(c => c.Is("Bearer") && string.IsNullOrEmpty(c.Realm))) &&
            !challenges.Any(c => c.Is("Basic") || (c.Is("Bearer") && !string.IsNullOrEmpty(c.Realm))))
        {
            // Nothing in it can be answered: no credential would help, so say what is wrong with the header.
            response.Dispose();
            throw new RegistryChallengeException(request.Method.Method, UrlRedactor.Redact(request.RequestUri), string.Join(", ", values));
        }

        var bearer = challenges.FirstOrDefault(c => c.Is("Bearer") && !string.IsNullOrEmpty(c.Realm));
        if (bearer is not null)
        {
            var token = await TokenForAsync(request, bearer, scope, sentToken, cancellationToken).ConfigureAwait(false);
            response.Dispose();
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        // Retry with Basic unless this very request already carried it: another request may have switched the
        // client to Basic while this one was on the wire without it.
        var sentBasic = string.Equals(request.Headers.Authorization?.Scheme, "Basic", StringComparison.OrdinalIgnoreCase);
        if (challenges.Any(c => c.Is("Basic")) && !sentBasic &&
            await _credentials.GetAsync(cancellationToken).ConfigureAwait(false) is { IsIdentityToken: false } credential)
        {
            _useBasic = true;
            response.Dispose();
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", credential.ToBasicParameter());
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        return response;
    }

    /// <summary>
    /// The scope a request needs (https://distribution.github.io/distribution/spec/auth/scope/):
    /// <c>repository:&lt;name&gt;:pull</c> to read, <c>repository:&lt;name&gt;:pull,push</c> to write (POST, PUT,
    /// PATCH: a pusher reads what is there too), <c>repository:&lt;name&gt;:delete</c> to delete (what distribution 2.8
    /// and the test registry ask for), and for a cross-repository mount (<c>POST …/blobs/uploads/?mount=&amp;from=</c>)
    /// also <c>repository:&lt;from&gt;:pull</c>, space-separated as the challenge of distribution names them.
    /// </summary>
    internal static string ScopeFor(HttpRequestMessage request)
    {
        var path = request.RequestUri?.AbsolutePath ?? string.Empty;
        if (path.StartsWith("/v2/_catalog", StringComparison.Ordinal))
        {
            return "registry:catalog:*";
        }

        // The last marker ends the name: a repository may itself have a component called "manifests" or "blobs"
        // ("team/manifests/app/tags/list"), so the first marker found is not necessarily the API's.
        var at = new[] { "/manifests/", "/blobs/", "/tags/", "/referrers/" }.Max(marker => path.LastIndexOf(marker, StringComparison.Ordinal));
        if (at > 4 && path.StartsWith("/v2/", StringComparison.Ordinal))
        {
            var name = path.Substring(4, at - 4);
            if (request.Method == HttpMethod.Get || request.Method == HttpMethod.Head)
            {
                return "repository:" + name + ":pull";
            }

            if (request.Method == HttpMethod.Delete)
            {
                return "repository:" + name + ":delete";
            }

            var scope = "repository:" + name + ":pull,push";
            return request.Method == HttpMethod.Post && path.EndsWith("/blobs/uploads/", StringComparison.Ordinal) &&
                MountSource(request.RequestUri!) is { } from && from != name
                ? scope + " repository:" + from + ":pull"
                : scope;
        }

        return string.Empty;
    }

    /// <summary>The <c>from</c> of a mount request (one that also has <c>mount</c>) when it is a repository name.</summary>
    private static string? MountSource(Uri url)
    {
        string? from = null;
        var mount = false;
        foreach (var pair in url.Query.TrimStart('?').Split('&'))
        {
            var equals = pair.IndexOf('=');
            var key = equals < 0 ? pair : pair.Substring(0, equals);
            var value = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair.Substring(equals + 1).Replace('+', ' '));
            if (key == "from")
            {
                from = value;
            }
            else if (key == "mount")
            {
                mount = true;
            }
        }

        return mount && References.Reference.IsValidRepository(from) ? from : null;
    }

    /// <summary>
    /// The scopes to ask the token service for. A read asks for what the challenge names (else the request's scope),
    /// as one value. A write asks for the union of both, one scope each: a registry may name less than a mount
    /// needs, or more (its own way of spelling delete), and either must be granted.
    /// </summary>
    private static IReadOnlyList<string> WantedScopes(HttpRequestMessage request, AuthChallenge challenge, string scope)
    {
        var read = request.Method == HttpMethod.Get || request.Method == HttpMethod.Head;
        if (read)
        {
            return [string.IsNullOrEmpty(challenge.Scope) ? scope : challenge.Scope!];
        }

        return (challenge.Scope ?? string.Empty).Split(' ')
            .Concat(scope.Split(' '))
            .Where(s => s.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    private string? Attach(HttpRequestMessage request, string scope)
    {
        lock (_tokens)
        {
            if (_tokens.TryGetValue(scope, out var cached) && cached.Expires > _time.GetUtcNow())
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", cached.Token);
                return cached.Token;
            }
        }

        if (_useBasic && _credentials.Known is { } credential)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", credential.ToBasicParameter());
        }

        return null;
    }

    private void Forget(string scope, string token)
    {
        lock (_tokens)
        {
            if (_tokens.TryGetValue(scope, out var cached) && cached.Token == token)
            {
                _tokens.Remove(scope);
            }
        }
    }

    /// <summary>
    /// A token for <paramref name="scope"/> other than <paramref name="rejected"/>: one cached meanwhile, the one a
    /// running request for the scope brings, or a new one this call asks for.
    /// </summary>
    private async Task<string> TokenForAsync(HttpRequestMessage request, AuthChallenge challenge, string scope, string? rejected, CancellationToken cancellationToken)
    {
        while (true)
        {
            TaskCompletionSource<string>? mine = null;
            Task<string> shared;
            lock (_tokens)
            {
                if (_tokens.TryGetValue(scope, out var cached) && cached.Expires > _time.GetUtcNow() && cached.Token != rejected)
                {
                    return cached.Token;
                }

                if (_fetching.TryGetValue(scope, out var running))
                {
                    shared = running.Task;
                }
                else
                {
                    mine = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
                    _fetching[scope] = mine;
                    shared = mine.Task;
                }
            }

            if (mine is not null)
            {
                try
                {
                    var token = await FetchTokenAsync(request, challenge, scope, cancellationToken).ConfigureAwait(false);
                    Finish(scope, () => mine.SetResult(token));
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    Finish(scope, () => mine.SetCanceled());
                    throw;
                }
                catch (Exception e)
                {
                    Finish(scope, () => mine.SetException(e));
                    throw;
                }
            }

            try
            {
                return await shared.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (mine is null && !cancellationToken.IsCancellationRequested)
            {
                // The request that asked was cancelled, this one was not: ask again.
            }
        }
    }

    // The next request for the scope finds the token in the cache (or asks anew after a failure), never a finished fetch.
    private void Finish(string scope, Action complete)
    {
        lock (_tokens)
        {
            _fetching.Remove(scope);
        }

        complete();
    }

    private async Task<string> FetchTokenAsync(HttpRequestMessage request, AuthChallenge challenge, string scope, CancellationToken cancellationToken)
    {
        var wanted = WantedScopes(request, challenge, scope);
        var registryUrl = request.RequestUri!;
        if (!Uri.TryCreate(challenge.Realm, UriKind.Absolute, out var realm) || (realm.Scheme != Uri.UriSchemeHttps && realm.Scheme != Uri.UriSchemeHttp))
        {
            throw new RegistryAuthenticationException(request.Method.Method, UrlRedactor.Redact(registryUrl), "The registry named a token service realm that is not an http(s) URL");
        }

        if (realm.Scheme == Uri.UriSchemeHttp && registryUrl.Scheme == Uri.UriSchemeHttps && !realm.IsLoopback)
        {
            throw new RegistryAuthenticationException(request.Method.Method, UrlRedactor.Redact(registryUrl), $"The registry sent its token service over plain HTTP ({UrlRedactor.Redact(realm)}); refusing to send credentials there");
        }

        var credential = await _credentials.GetAsync(cancellationToken).ConfigureAwait(false);
        using var tokenRequest = BuildTokenRequest(realm, challenge.Service, wanted, credential);
        _trace?.Invoke(new HttpTraceEvent(HttpTraceKind.Token, tokenRequest.Method.Method, UrlRedactor.Redact(tokenRequest.RequestUri),
            credential is null ? "(anonymous)" : $"(as {credential.Username})"));
        using var response = await base.SendAsync(tokenRequest, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var error = await ErrorResponseReader.ReadAsync(response, _time, _trace, cancellationToken).ConfigureAwait(false);
            if (error.StatusCode is 401 or 403)
            {
                throw new RegistryAuthenticationException(error.Method, error.Url, error.StatusCode, null, error.Errors, error.BodyText,
                    credential is null
                        ? "The token service refused anonymous access; it wants credentials"
                        : $"The token service refused the credentials of '{credential.Username}'",
                    credentialsRefused: credential is not null);
            }

            throw error;
        }

        var body = await BodyReader.ReadCappedAsync(response.Content, Limits.TokenResponseBytes, ContentKind.TokenResponse, "token response", cancellationToken).ConfigureAwait(false);
        var token = TokenResponse.Parse(body) ?? throw new TokenResponseInvalidException(UrlRedactor.Redact(tokenRequest.RequestUri), TokenResponse.Describe(body));

        // Refresh a little early so that a token does not expire between being attached and being checked.
        var margin = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(10).Ticks, token.ExpiresIn.Ticks / 10));
        lock (_tokens)
        {
            var entry = (token.Token, _time.GetUtcNow() + token.ExpiresIn - margin);
            _tokens[scope] = entry;

            // A mount's token covers the destination's own pull,push too: the upload that follows a mount refused
            // (202) then starts with a token, rather than meeting a 401 in the middle of sending a chunk.
            var own = scope.IndexOf(' ');
            if (own > 0 && !_tokens.ContainsKey(scope.Substring(0, own)))
            {
                _tokens[scope.Substring(0, own)] = entry;
            }
        }

        return token.Token;
    }

    /// <summary>
    /// The token request: a GET with one <c>scope</c> parameter a scope (as docker and distribution send them), or
    /// for an identity token an OAuth2 POST with the scopes space-separated in one (RFC 6749 §3.3).
    /// </summary>
    private static HttpRequestMessage BuildTokenRequest(Uri realm, string? service, IReadOnlyList<string> scopes, RegistryCredential? credential)
    {
        if (credential is { IsIdentityToken: true })
        {
            // OAuth2 refresh-token grant, as docker does for identity tokens (ACR's 'az acr login').
            var form = new List<KeyValuePair<string, string>>
            {
                new("grant_type", "refresh_token"),
                new("refresh_token", credential.IdentityToken!),
                new("client_id", ClientId),
            };
            if (!string.IsNullOrEmpty(service))
            {
                form.Add(new("service", service!));
            }

            var joined = string.Join(" ", scopes.Where(s => s.Length > 0));
            if (joined.Length > 0)
            {
                form.Add(new("scope", joined));
            }

            return new HttpRequestMessage(HttpMethod.Post, realm) { Content = new FormUrlEncodedContent(form) };
        }

        var query = new List<string>();
        if (!string.IsNullOrEmpty(service))
        {
            query.Add("service=" + Uri.EscapeDataString(service));
        }

        foreach (var scope in scopes.Where(s => s.Length > 0))
        {
            query.Add("scope=" + Uri.EscapeDataString(scope));
        }

        var builder = new UriBuilder(realm);
        var existing = builder.Query.TrimStart('?');
        builder.Query = string.Join("&", new[] { existing }.Where(q => q.Length > 0).Concat(query));
        var message = new HttpRequestMessage(HttpMethod.Get, builder.Uri);
        if (credential is not null)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Basic", credential.ToBasicParameter());
        }

        return message;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _credentials.Dispose();
        }

        base.Dispose(disposing);
    }
}
