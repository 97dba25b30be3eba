using System;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace OciRegistry.Core.Client;

/// <summary>The one place bodies are read into memory, always under a cap.</summary>
internal static class BodyReader
{
    /// <summary>Reads the whole body, failing with <see cref="ContentTooLargeException"/> past <paramref name="limit"/>.</summary>
    public static async Task<byte[]> ReadCappedAsync(HttpContent content, long limit, ContentKind kind, string what, CancellationToken cancellationToken)
    {
        var announced = content.Headers.ContentLength;
        if (announced > limit)
        {
            throw new ContentTooLargeException(kind, what, limit, announced);
        }

        var (bytes, truncated) = await ReadAsync(content, limit, cancellationToken).ConfigureAwait(false);
        if (truncated)
        {
            throw new ContentTooLargeException(kind, what, limit, announced);
        }

        if (announced is { } expected && bytes.Length != expected)
        {
            throw new IOException($"the {what} ended after {bytes.Length} of {expected} bytes");
        }

        return bytes;
    }

    /// <summary>Reads at most <paramref name="limit"/> bytes and drops the rest (for error bodies).</summary>
    public static async Task<byte[]> ReadPrefixAsync(HttpContent? content, long limit, CancellationToken cancellationToken)
    {
        if (content is null)
        {
            return [];
        }

        var (bytes, _) = await ReadAsync(content, limit, cancellationToken).ConfigureAwait(false);
        return bytes;
    }

    private static async Task<(byte[] Bytes, bool Truncated)> ReadAsync(HttpContent content, long limit, CancellationToken cancellationToken)
    {
        using var stream = await content.ReadAsStreamAsync().ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        while (true)
        {
            var read = await stream.ReadAsync(chunk, 0, chunk.Length, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return (buffer.ToArray(), false);
            }

            var room = limit - buffer.Length;
            if (read > room)
            {
                buffer.Write(chunk, 0, (int)room);
                return (buffer.ToArray(), true);
            }

            buffer.Write(chunk, 0, read);
        }
    }
}
