using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace OciRegistry.Core.Client;

/// <summary>
/// What a child process printed on one stream, capped, and readable at any moment: a process that outlives the one
/// we asked may hold the stream open without end, so the caller takes what has arrived instead of waiting for its end.
/// </summary>
internal sealed class CapturedOutput
{
    private readonly MemoryStream _buffer = new();
    private readonly long _limit;
    private readonly bool _keepPrefix;

    /// <param name="limit">The most bytes kept.</param>
    /// <param name="keepPrefix">
    /// Past the limit, keep the first bytes and drain the rest (so a chatty process never blocks on a full pipe);
    /// otherwise past the limit nothing is kept and <see cref="Overflow"/> is set.
    /// </param>
    public CapturedOutput(long limit, bool keepPrefix)
    {
        _limit = limit;
        _keepPrefix = keepPrefix;
    }

    /// <summary>Whether more than the limit arrived (only when not keeping a prefix).</summary>
    public bool Overflow { get; private set; }

    /// <summary>The bytes that have arrived so far.</summary>
    public byte[] Bytes()
    {
        lock (_buffer)
        {
            return _buffer.ToArray();
        }
    }

    /// <summary>Reads <paramref name="stream"/> to its end; <paramref name="overflowing"/> runs once the limit is passed.</summary>
    public async Task ReadAsync(Stream stream, Action? overflowing, CancellationToken cancellationToken)
    {
        var chunk = new byte[8 * 1024];
        while (true)
        {
            var read = await stream.ReadAsync(chunk, 0, chunk.Length, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return;
            }

            lock (_buffer)
            {
                if (_buffer.Length + read <= _limit)
                {
                    _buffer.Write(chunk, 0, read);
                    continue;
                }

                if (_keepPrefix)
                {
                    _buffer.Write(chunk, 0, (int)(_limit - _buffer.Length));
                    continue;
                }

                _buffer.SetLength(0);
                Overflow = true;
            }

            overflowing?.Invoke();
            return;
        }
    }
}
