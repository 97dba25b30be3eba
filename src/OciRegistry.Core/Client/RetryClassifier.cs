using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Reflection;
using System.Security.Authentication;

namespace OciRegistry.Core.Client;

/// <summary>
/// Which failures are worth another try. Client errors are usually permanent and server errors temporary,
/// with the exceptions the seed client listed: 408, 425, 429 and nginx's 499 are transient; 501, 505 and 511
/// are not.
/// </summary>
public static class RetryClassifier
{
    /// <summary>Whether an HTTP status is transient.</summary>
    public static bool IsTransientStatus(int status) => status switch
    {
        408 or 425 or 429 or 499 => true,
        501 or 505 or 511 => false,
        >= 500 and <= 599 => true,
        _ => false,
    };

    /// <summary>
    /// Whether an exception is a transient network failure. A cancellation the caller asked for is never
    /// transient; the caller's token decides that, not this method.
    /// </summary>
    public static bool IsTransientException(Exception exception) => exception switch
    {
        RegistryResponseException r => r is not RegistryAuthenticationException && r.IsTransient,
        OciException => false,
        HttpRequestException h => !IsPermanent(h),
        IOException => true,
        _ => false,
    };

    /// <summary>
    /// Whether the request failed because the registry's host name does not resolve. Worth one more try (a resolver
    /// can hiccup), never five: a mistyped host should fail in a moment, not after a minute of backoff.
    /// </summary>
    public static bool IsNameResolutionFailure(Exception exception) =>
        exception is HttpRequestException h && (Error(h) == NameResolutionError || WebStatus(h) == WebExceptionStatus.NameResolutionFailure);

    /// <summary>
    /// Failures that another attempt cannot mend: the certificate is not trusted or the TLS handshake was refused
    /// (an <see cref="AuthenticationException"/> inside), the answer is not HTTP (a malformed status line), a header
    /// block is larger than the client reads, or the server and client share no HTTP version. A reset or a refused
    /// connection stays transient.
    /// </summary>
    private static bool IsPermanent(HttpRequestException exception)
    {
        for (Exception? inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is AuthenticationException)
            {
                return true;
            }
        }

        return Error(exception) is InvalidResponse or ConfigurationLimitExceeded or VersionNegotiationError or ExtendedConnectNotSupported or UserAuthenticationError ||
            WebStatus(exception) is WebExceptionStatus.TrustFailure or WebExceptionStatus.ServerProtocolViolation or WebExceptionStatus.MessageLengthLimitExceeded;
    }

    // HttpRequestException.HttpRequestError (.NET 8 and later), read by name so that the same assembly runs on
    // .NET Framework, where the handler reports through an inner WebException instead.
    private const int NameResolutionError = 1;
    private const int ExtendedConnectNotSupported = 5;
    private const int VersionNegotiationError = 6;
    private const int UserAuthenticationError = 7;
    private const int InvalidResponse = 9;
    private const int ConfigurationLimitExceeded = 11;
    private static readonly PropertyInfo? HttpRequestErrorProperty = typeof(HttpRequestException).GetProperty("HttpRequestError");

    private static int? Error(HttpRequestException exception) =>
        HttpRequestErrorProperty?.GetValue(exception) is { } value ? Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture) : null;

    private static WebExceptionStatus? WebStatus(HttpRequestException exception) => (exception.InnerException as WebException)?.Status;

    /// <summary>
    /// The wait a <c>Retry-After</c> header asks for: delta seconds or an HTTP date relative to <paramref name="now"/>,
    /// never negative; null when absent or unparsable.
    /// </summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        if (response is null)
        {
            throw new ArgumentNullException(nameof(response));
        }

        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - now;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }
}
