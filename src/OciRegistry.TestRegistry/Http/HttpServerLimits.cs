using System;

namespace OciRegistry.TestRegistry.Http;

/// <summary>What one connection may make the server hold or wait for; taken from <see cref="TestRegistryOptions"/>.</summary>
internal sealed class HttpServerLimits
{
    /// <summary>The longest chunk-size line of a chunked body (the size in hex and any extensions).</summary>
    public const int MaxChunkLineLength = 4096;

    /// <summary>How many bytes of a body nobody read are drained to keep a connection alive; more and it is closed.</summary>
    public const int MaxDrainLength = 64 * 1024;

    /// <summary>
    /// How long a connection closed after an error keeps reading (and discarding) what the client still sends, so the
    /// client sees the response instead of a reset (RFC 9112 §9.6).
    /// </summary>
    public static readonly TimeSpan LingerTime = TimeSpan.FromSeconds(1);

    /// <summary>The most bytes read while lingering.</summary>
    public const int MaxLingerLength = 1024 * 1024;

    public int MaxRequestLineLength { get; init; } = 64 * 1024;

    public int MaxRequestHeadersLength { get; init; } = 1024 * 1024;

    public TimeSpan RequestHeadersTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(2);

    public int MaxConnections { get; init; } = 1024;

    /// <summary>The limits <paramref name="options"/> ask for, checked.</summary>
    public static HttpServerLimits From(TestRegistryOptions options)
    {
        if (options.MaximumRequestLineLength < 64 || options.MaximumRequestHeadersLength < options.MaximumRequestLineLength)
        {
            throw new ArgumentException("MaximumRequestLineLength must be at least 64 bytes and MaximumRequestHeadersLength at least as large", nameof(options));
        }

        if (options.RequestHeadersTimeout <= TimeSpan.Zero || options.IdleConnectionTimeout <= TimeSpan.Zero || options.MaximumConnections < 1)
        {
            throw new ArgumentException("the header and idle timeouts must be positive and MaximumConnections at least 1", nameof(options));
        }

        return new HttpServerLimits
        {
            MaxRequestLineLength = options.MaximumRequestLineLength,
            MaxRequestHeadersLength = options.MaximumRequestHeadersLength,
            RequestHeadersTimeout = options.RequestHeadersTimeout,
            IdleTimeout = options.IdleConnectionTimeout,
            MaxConnections = options.MaximumConnections,
        };
    }
}
