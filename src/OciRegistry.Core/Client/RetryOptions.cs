using System;

namespace OciRegistry.Core.Client;

/// <summary>How transient failures are retried: exponential backoff with jitter, stretched by <c>Retry-After</c>.</summary>
public sealed class RetryOptions
{
    /// <summary>Retries after the first attempt; 0 turns retrying off.</summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>The first backoff, doubled on each retry.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest backoff between two attempts (before <c>Retry-After</c>).</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest <c>Retry-After</c> honoured; a server asking for more gets the error instead of a wait.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The wait before retry number <paramref name="attempt"/> (0 for the first retry): the exponential backoff,
    /// scaled by a jitter factor in [0.5, 1.0) from <paramref name="random"/>, at least <paramref name="retryAfter"/>.
    /// </summary>
    public TimeSpan ComputeDelay(int attempt, TimeSpan? retryAfter, double random)
    {
        var exponent = Math.Min(Math.Max(attempt, 0), 30);
        var backoff = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, exponent));
        var jittered = TimeSpan.FromMilliseconds(backoff * (0.5 + (0.5 * Math.Min(Math.Max(random, 0), 0.999999))));
        return retryAfter is { } wait && wait > jittered ? wait : jittered;
    }
}
