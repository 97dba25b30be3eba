using System;
using System.Collections.Concurrent;
using System.Threading;

namespace OciRegistry.TestRegistry;

/// <summary>
/// Secrets with a value and an expiry, all of one lifetime, forgotten as they expire: every lookup and every
/// addition first drops the expired ones, oldest first. Entries expire in the order they were added (one lifetime),
/// so the purge stops at the first live one and costs nothing when nothing expired. Thread-safe.
/// </summary>
internal sealed class ExpiringTable<T>
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string Key, DateTimeOffset Expires)> _order = new();
    private readonly object _purging = new();

    /// <summary>How many entries are held, expired ones not yet purged included.</summary>
    public int Count => _entries.Count;

    /// <summary>Adds <paramref name="key"/>, a fresh random secret, valid until <paramref name="expires"/>.</summary>
    public void Add(string key, T value, DateTimeOffset expires, DateTimeOffset now)
    {
        Purge(now);
        _entries[key] = new Entry(value, expires);
        _order.Enqueue((key, expires));
    }

    /// <summary>The value of <paramref name="key"/> if it is known and has not expired.</summary>
    public bool TryGet(string key, DateTimeOffset now, out T value)
    {
        Purge(now);
        if (_entries.TryGetValue(key, out var entry) && entry.Expires > now)
        {
            value = entry.Value;
            return true;
        }

        value = default!;
        return false;
    }

    /// <summary>Drops every entry that has expired by <paramref name="now"/>; skipped when another thread is at it.</summary>
    public void Purge(DateTimeOffset now)
    {
        if (!Monitor.TryEnter(_purging))
        {
            return;
        }

        try
        {
            while (_order.TryPeek(out var oldest) && oldest.Expires <= now && _order.TryDequeue(out _))
            {
                _entries.TryRemove(oldest.Key, out _);
            }
        }
        finally
        {
            Monitor.Exit(_purging);
        }
    }

    private sealed record Entry(T Value, DateTimeOffset Expires);
}
