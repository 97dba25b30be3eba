using System;
using System.Globalization;

namespace OciRegistry.TestRegistry;

/// <summary>
/// Docker Hub's pull rate limit, played by the test registry: every manifest GET on the registry origin counts one
/// pull (HEAD does not), a fixed window starting when the server starts, and every manifest answer (GET or HEAD)
/// carrying <c>ratelimit-limit</c>, <c>ratelimit-remaining</c> (both <c>N;w=seconds</c>) and
/// <c>docker-ratelimit-source</c>. A GET past the limit is answered 429 <c>TOOMANYREQUESTS</c> with
/// <c>Retry-After</c> until the window ends.
/// </summary>
/// <remarks>https://docs.docker.com/docker-hub/usage/pulls/.</remarks>
internal sealed class PullRateLimit
{
    private readonly int _limit;
    private readonly TimeSpan _window;
    private readonly string _source;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private DateTimeOffset _windowStart;
    private int _used;

    public PullRateLimit(int limit, TimeSpan window, string source, TimeProvider time)
    {
        _limit = limit;
        _window = window;
        _source = source;
        _time = time;
        _windowStart = time.GetUtcNow();
    }

    /// <summary>Throws <see cref="ArgumentException"/> for a limit the options cannot mean.</summary>
    public static void Validate(TestRegistryOptions options)
    {
        if (options.RateLimit is < 0)
        {
            throw new ArgumentException($"a rate limit cannot be negative, not {options.RateLimit}", nameof(options));
        }

        if (options.RateLimitWindow < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentException("a rate limit's window must be at least one second", nameof(options));
        }
    }

    /// <summary>
    /// Sets the rate-limit headers on a manifest answer and, for a GET, takes one pull; returns how long to wait when
    /// none is left (the request must then be refused), null otherwise.
    /// </summary>
    public TimeSpan? Apply(RegistryExchange exchange, bool isPull)
    {
        int remaining;
        TimeSpan? refusedFor = null;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (now - _windowStart >= _window)
            {
                var windows = (long)((now - _windowStart).Ticks / _window.Ticks);
                _windowStart += TimeSpan.FromTicks(windows * _window.Ticks);
                _used = 0;
            }

            if (isPull && _used >= _limit)
            {
                refusedFor = _windowStart + _window - now;
            }
            else if (isPull)
            {
                _used++;
            }

            remaining = _limit - _used;
        }

        var seconds = ((long)Math.Ceiling(_window.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        exchange.SetHeader("ratelimit-limit", _limit.ToString(CultureInfo.InvariantCulture) + ";w=" + seconds);
        exchange.SetHeader("ratelimit-remaining", remaining.ToString(CultureInfo.InvariantCulture) + ";w=" + seconds);
        exchange.SetHeader("docker-ratelimit-source", _source);
        return refusedFor;
    }
}
