using System.Collections;
using System.Collections.Generic;

namespace OciRegistry.TestRegistry;

/// <summary>
/// Every request a test registry and its CDN origin handled, oldest first, so tests can assert on what a client
/// asked for. Thread-safe; enumerating takes a snapshot. Keeps the latest <see cref="MaxEntries"/>, and no more
/// than <see cref="MaxTextLength"/> characters of recorded paths, queries and headers in all (each entry keeps at most
/// <see cref="RequestLogEntry.MaxFieldLength"/> of each), dropping the oldest first.
/// </summary>
public sealed class RequestLog : IReadOnlyCollection<RequestLogEntry>
{
    /// <summary>How many entries the log keeps; older ones are dropped first.</summary>
    public const int MaxEntries = 10_000;

    /// <summary>How many characters of recorded text the log holds in all, about 8 MiB of memory.</summary>
    public const int MaxTextLength = 4 * 1024 * 1024;

    private readonly Queue<RequestLogEntry> _entries = new();
    private long _textLength;

    /// <summary>How many entries the log holds.</summary>
    public int Count
    {
        get
        {
            lock (_entries)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>The entries, oldest first (a snapshot).</summary>
    public IReadOnlyList<RequestLogEntry> ToList()
    {
        lock (_entries)
        {
            return [.. _entries];
        }
    }

    /// <summary>Forgets every entry; requests still in flight that were already logged are not logged again.</summary>
    public void Clear()
    {
        lock (_entries)
        {
            _entries.Clear();
            _textLength = 0;
        }
    }

    /// <inheritdoc/>
    public IEnumerator<RequestLogEntry> GetEnumerator() => ToList().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Adds <paramref name="entry"/> unless it was added before.</summary>
    internal void Publish(RequestLogEntry entry)
    {
        lock (_entries)
        {
            if (!entry.TryMarkPublished())
            {
                return;
            }

            _entries.Enqueue(entry);
            _textLength += entry.TextLength;
            while (_entries.Count > MaxEntries || (_textLength > MaxTextLength && _entries.Count > 1))
            {
                _textLength -= _entries.Dequeue().TextLength;
            }
        }
    }
}
