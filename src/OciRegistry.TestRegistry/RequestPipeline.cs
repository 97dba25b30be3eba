using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.TestRegistry.Http;

namespace OciRegistry.TestRegistry;

/// <summary>
/// What happens to one request on one origin, in order: log it, the delay and failure faults, then on the
/// registry the token endpoint, authentication and the redirect fault, on the CDN the URL signature, then the
/// range fault and the API itself (whose body faults the exchange applies).
/// </summary>
internal sealed class RequestPipeline
{
    private readonly TestRegistryOrigin _origin;
    private readonly RegistryRequestHandler _handler;
    private readonly FaultCollection _faults;
    private readonly RequestLog _log;
    private readonly RegistryAuthenticator? _authenticator; // null on the CDN
    private readonly UrlSigner _signer;
    private readonly TimeProvider _time;
    private readonly Uri? _cdnUrl; // null on the CDN
    private readonly PullRateLimit? _rateLimit; // null on the CDN and without a limit

    private RequestPipeline(TestRegistryOrigin origin, RegistryRequestHandler handler, FaultCollection faults, RequestLog log, RegistryAuthenticator? authenticator, UrlSigner signer, TimeProvider time, Uri? cdnUrl, PullRateLimit? rateLimit = null)
    {
        _rateLimit = rateLimit;
        _origin = origin;
        _handler = handler;
        _faults = faults;
        _log = log;
        _authenticator = authenticator;
        _signer = signer;
        _time = time;
        _cdnUrl = cdnUrl;
    }

    /// <summary>
    /// The registry's pipeline: authenticated, counting manifest pulls against <paramref name="rateLimit"/> when there
    /// is one, and redirecting to <paramref name="cdnUrl"/> when a fault says so.
    /// </summary>
    public static RequestPipeline ForRegistry(RegistryRequestHandler handler, FaultCollection faults, RequestLog log, RegistryAuthenticator authenticator, UrlSigner signer, TimeProvider time, Uri? cdnUrl, PullRateLimit? rateLimit = null) =>
        new(TestRegistryOrigin.Registry, handler, faults, log, authenticator, signer, time, cdnUrl, rateLimit);

    /// <summary>The CDN origin's pipeline: signed URLs only, no authentication.</summary>
    public static RequestPipeline ForCdn(RegistryRequestHandler handler, FaultCollection faults, RequestLog log, UrlSigner signer, TimeProvider time) =>
        new(TestRegistryOrigin.Cdn, handler, faults, log, null, signer, time, null);

    /// <summary>Serves one request; never throws (a failure becomes a 500 or, once headers are out, a dropped connection).</summary>
    public async Task ServeAsync(HttpServerContext context, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var entry = new RequestLogEntry(_time.GetUtcNow(), _origin, context.Request);
        var exchange = new RegistryExchange(context, entry, _log, _faults);
        try
        {
            try
            {
                await HandleAsync(exchange, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!exchange.HeadersSent && !cancellationToken.IsCancellationRequested)
            {
                await exchange.SendInternalErrorAsync(e, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception)
        {
            // The client went away, the server is stopping, a fault cut the body, or the failure came after the
            // headers: the connection is all that can still be dropped.
            exchange.Abort();
        }
        finally
        {
            entry.Complete(clock.Elapsed);
            _log.Publish(entry);
        }
    }

    private async Task HandleAsync(RegistryExchange exchange, CancellationToken cancellationToken)
    {
        var entry = exchange.Entry;
        if (_faults.TryFire(FaultKind.Delay, entry) is { } delay)
        {
            await Task.Delay(delay.Delay, cancellationToken).ConfigureAwait(false);
        }

        if (_faults.TryFire(FaultKind.Fail, entry) is { } failure)
        {
            await FailAsync(exchange, failure, cancellationToken).ConfigureAwait(false);
            return;
        }

        var route = RegistryRoute.Match(entry.RequestPath);
        var readable = entry.Method is "GET" or "HEAD";
        var target = entry.RequestQuery is null ? entry.RequestPath : entry.RequestPath + "?" + entry.RequestQuery;
        if (_authenticator is not null)
        {
            if (_authenticator.Tokens is { } tokens && entry.RequestPath == TokenService.Path)
            {
                await tokens.HandleAsync(exchange, cancellationToken).ConfigureAwait(false);
                return;
            }

            if (_authenticator.Tokens is { AzureAccessToken: not null } exchanger && entry.RequestPath == TokenService.ExchangePath)
            {
                await exchanger.HandleExchangeAsync(exchange, cancellationToken).ConfigureAwait(false);
                return;
            }

            if (!await _authenticator.AuthorizeAsync(exchange, route, ActionOf(route, entry.Method), cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            // Docker Hub counts a manifest GET as a pull and tells every manifest answer how many are left.
            if (_rateLimit is not null && readable && route.Kind == RegistryRouteKind.Manifest &&
                _rateLimit.Apply(exchange, isPull: entry.Method == "GET") is { } wait)
            {
                exchange.SetHeader("Retry-After", FaultRule.RetryAfterSeconds(wait).ToString(CultureInfo.InvariantCulture));
                await exchange.SendErrorAsync((HttpStatusCode)429, RegistryErrorCode.TooManyRequests, "you have reached the test registry's pull rate limit", cancellationToken).ConfigureAwait(false);
                return;
            }

            if (readable && route.Kind is RegistryRouteKind.Manifest or RegistryRouteKind.Blob or RegistryRouteKind.TagList &&
                _faults.TryFire(FaultKind.Redirect, entry) is not null)
            {
                // 307 keeps the method (RFC 9110 §15.4.8); the signed query is what a CDN URL carries.
                exchange.SetHeader("Location", _cdnUrl!.AbsoluteUri.TrimEnd('/') + _signer.Sign(entry.Method, target));
                await exchange.SendAsync(HttpStatusCode.TemporaryRedirect, "text/plain", [], cancellationToken).ConfigureAwait(false);
                return;
            }
        }
        else if (!readable)
        {
            // The CDN is a read-only copy of the content, whatever a URL's signature says.
            exchange.SetHeader("Allow", "GET, HEAD");
            await exchange.SendErrorAsync(HttpStatusCode.MethodNotAllowed, RegistryErrorCode.Unsupported, $"the CDN serves reads only; {entry.Method} is not supported", cancellationToken).ConfigureAwait(false);
            return;
        }
        else if (!_signer.Verify(entry.Method, target))
        {
            await exchange.SendErrorAsync(HttpStatusCode.Forbidden, RegistryErrorCode.Denied, "the CDN serves signed URLs only, and this one is unsigned, altered or expired", cancellationToken).ConfigureAwait(false);
            return;
        }

        if (route.Kind == RegistryRouteKind.Blob && entry.Range is not null && _faults.TryFire(FaultKind.IgnoreRange, entry) is not null)
        {
            exchange.IgnoreRange = true;
        }

        await _handler.HandleAsync(exchange, cancellationToken).ConfigureAwait(false);
    }

    // A read-only registry refuses writes with 405 whatever the credentials, so it only ever asks for pull.
    private RegistryAction ActionOf(RegistryRoute route, string method) => method switch
    {
        _ when _handler.ReadOnly => RegistryAction.Pull,
        "GET" or "HEAD" => RegistryAction.Pull,
        "DELETE" when route.Kind is RegistryRouteKind.Manifest or RegistryRouteKind.Blob => RegistryAction.Delete,
        _ => RegistryAction.Push,
    };

    private static Task FailAsync(RegistryExchange exchange, FaultRule failure, CancellationToken cancellationToken)
    {
        if (failure.RetryAfter is { } wait)
        {
            exchange.SetHeader("Retry-After", FaultRule.RetryAfterSeconds(wait).ToString(CultureInfo.InvariantCulture));
        }

        foreach (var header in failure.Headers ?? new Dictionary<string, string>())
        {
            exchange.SetHeader(header.Key, header.Value);
        }

        if (failure.Body is { } body)
        {
            return exchange.SendAsync((HttpStatusCode)failure.StatusCode, failure.ContentType ?? "text/plain", Encoding.UTF8.GetBytes(body), cancellationToken);
        }

        var code = failure.StatusCode switch
        {
            429 => RegistryErrorCode.TooManyRequests,
            405 => RegistryErrorCode.Unsupported,
            503 => RegistryErrorCode.Unavailable,
            _ => RegistryErrorCode.Unknown,
        };
        return exchange.SendErrorAsync((HttpStatusCode)failure.StatusCode, code, $"the test registry failed this request on purpose ({failure})", cancellationToken);
    }
}
