using System;
using System.IO;
using System.Net.Http;

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
        HttpRequestException => true,
        IOException => true,
        _ => false,
    };

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
