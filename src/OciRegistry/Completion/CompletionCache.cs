using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace OciRegistry.Completion;

/// <summary>
/// What the completers fetched from registries, kept briefly: a tag list a minute old is still what the user wants,
/// and a run of Tabs should ask once. Each fetch has a deadline (<see cref="Timeout"/>): Tab completion that blocks
/// for longer than a moment is worse than none, so a registry that accepts and never answers gives nothing, and
/// that failure is remembered for <see cref="FailureLifetime"/> so the next Tab does not wait again.
/// </summary>
public static class CompletionCache
{
    private const int MaxEntries = 256;
    private static readonly ConcurrentDictionary<string, (DateTime Expires, string[] Values)> Entries = new(StringComparer.Ordinal);

    /// <summary>How long a completer waits for a registry.</summary>
    public static TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How long an answer is reused.</summary>
    public static TimeSpan Lifetime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a failure (no answer, an error, nothing to offer) is reused.</summary>
    public static TimeSpan FailureLifetime { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many answers are kept.</summary>
    public static int Count => Entries.Count;

    /// <summary>Forgets every answer.</summary>
    public static void Clear() => Entries.Clear();

    /// <summary>
    /// The cached values for <paramref name="key"/>, or what <paramref name="fetch"/> returns within the deadline
    /// (cancelled when it passes); nothing on failure. Never throws.
    /// </summary>
    internal static string[] Get(string key, Func<CancellationToken, Task<IEnumerable<string>>> fetch)
    {
        var now = DateTime.UtcNow;
        foreach (var stale in Entries.Where(e => e.Value.Expires <= now).Select(e => e.Key).ToList())
        {
            Entries.TryRemove(stale, out _);
        }

        if (Entries.TryGetValue(key, out var cached))
        {
            return cached.Values;
        }

        string[] values = [];
        var deadline = new CancellationTokenSource(Timeout);
        try
        {
            // On the thread pool, so that nothing waits on the prompt's thread for a continuation.
            var work = Task.Run(() => fetch(deadline.Token), deadline.Token);
            if (work.Wait(Timeout))
            {
                values = [.. work.Result.Where(v => !string.IsNullOrEmpty(v))];
            }
            else
            {
                deadline.Cancel();
            }

            // A fetch still running owns the token source until it ends.
            _ = work.ContinueWith(_ => deadline.Dispose(), TaskScheduler.Default);
        }
        catch (Exception)
        {
            // A completer must never throw at the prompt.
            values = [];
        }

        if (Entries.Count >= MaxEntries)
        {
            Entries.Clear();
        }

        Entries[key] = (now + (values.Length > 0 ? Lifetime : FailureLifetime), values);
        return values;
    }
}
