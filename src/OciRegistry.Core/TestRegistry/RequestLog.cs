using System.Collections;
using System.Collections.Generic;

namespace OciRegistry.Core.TestRegistry;

/// <summary>
/// Every request a test registry and its CDN origin handled, oldest first, so tests can assert on what a client
/// asked for. Thread-safe; enumerating takes a snapshot. Keeps the latest <see cref="MaxEntries"/>.
/// </summary>
public sealed class RequestLog : IReadOnlyCollection<RequestLogEntry>
{
    /// <summary>How many entries the log keeps; older ones are dropped first.</summary>
    public const int MaxEntries = 10_000;

    private readonly Queue<RequestLogEntry> _entries = new();

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
            while (_entries.Count > MaxEntries)
            {
                _entries.Dequeue();
            }
        }
    }
}
