using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Threading;

namespace OciRegistry.TestRegistry;

/// <summary>
/// The upload sessions of one server and the folder their spilled bytes go to: created under the temp folder on
/// the first upload larger than <see cref="UploadSession.MemoryLimit"/>, deleted with everything in it when the
/// server stops. Pushed blobs that outgrew memory stay there and are served from there.
/// </summary>
/// <remarks>
/// The area bounds what abandoned uploads can hold: at most <see cref="TestRegistryOptions.MaximumUploads"/>
/// sessions, each of at most <see cref="TestRegistryOptions.MaximumUploadSize"/> bytes, together at most
/// <see cref="MemoryBudget"/> bytes in memory (the rest is in files, which are open only while a request writes
/// them), and none older than <see cref="TestRegistryOptions.UploadIdleTimeout"/> since its last request: a timer
/// sweeps idle sessions out, and every new session and every lookup checks too.
/// </remarks>
internal sealed class UploadArea : IDisposable
{
    /// <summary>The most bytes all sessions together keep in memory; a session that would go past it spills to a file.</summary>
    internal const long MemoryBudget = 64L * 1024 * 1024;

    private static readonly TimeSpan LongestSweepPeriod = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan ShortestSweepPeriod = TimeSpan.FromMilliseconds(250);

    private readonly ConcurrentDictionary<string, UploadSession> _sessions = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private readonly int _maximumUploads;
    private readonly TimeSpan _idleTimeout;
    private readonly TimeProvider _time;
    private readonly ITimer _sweeper;
    private string? _folder;
    private long _memoryInUse;
    private int _disposed;

    /// <summary>Creates the area with the upload limits of <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">A limit is out of range.</exception>
    public UploadArea(TestRegistryOptions options)
    {
        Validate(options);
        MaximumUploadSize = options.MaximumUploadSize;
        _maximumUploads = options.MaximumUploads;
        _idleTimeout = options.UploadIdleTimeout;
        _time = options.TimeProvider;

        // Sweep a few times per timeout, so an idle session goes at most a quarter of it late. The timer holds the
        // area weakly: a server that failed to start, or was dropped without stopping, is not kept alive by it.
        var period = TimeSpan.FromTicks(Math.Max(Math.Min(_idleTimeout.Ticks / 4, LongestSweepPeriod.Ticks), ShortestSweepPeriod.Ticks));
        _sweeper = _time.CreateTimer(
            static state =>
            {
                if (((WeakReference<UploadArea>)state!).TryGetTarget(out var area))
                {
                    area.Sweep();
                }
            },
            new WeakReference<UploadArea>(this),
            period,
            period);
    }

    /// <summary>The most bytes one upload may hold.</summary>
    public long MaximumUploadSize { get; }

    /// <summary>How many uploads may be open at once.</summary>
    public int MaximumUploads => _maximumUploads;

    /// <summary>How many sessions are open.</summary>
    internal int Count => _sessions.Count;

    /// <summary>The sessions open now.</summary>
    internal ICollection<UploadSession> Sessions => _sessions.Values;

    /// <summary>How many bytes the sessions hold in memory.</summary>
    internal long MemoryInUse => Interlocked.Read(ref _memoryInUse);

    /// <summary>The folder spilled uploads go to, once one did; null before.</summary>
    internal string? Folder
    {
        get
        {
            lock (_gate)
            {
                return _folder;
            }
        }
    }

    /// <summary>Now, on the server's clock.</summary>
    internal DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>Throws <see cref="ArgumentException"/> when an upload limit of <paramref name="options"/> is out of range.</summary>
    public static void Validate(TestRegistryOptions options)
    {
        if (options.MaximumUploadSize < 1)
        {
            throw new ArgumentException($"the upload size limit must be at least 1 byte, not {options.MaximumUploadSize}", nameof(options));
        }

        if (options.MaximumUploads < 1)
        {
            throw new ArgumentException($"at least one upload must be allowed at a time, not {options.MaximumUploads}", nameof(options));
        }

        if (options.UploadIdleTimeout < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentException($"the upload idle timeout must be at least one second, not {options.UploadIdleTimeout}", nameof(options));
        }

        if (options.TimeProvider is null)
        {
            throw new ArgumentException("the test registry needs a clock", nameof(options));
        }
    }

    /// <summary>Opens a session for <paramref name="repository"/>; null when <see cref="MaximumUploads"/> are open.</summary>
    public UploadSession? Start(string repository)
    {
        ThrowIfDisposed();
        if (_sessions.Count >= _maximumUploads)
        {
            // Full: make room from idle sessions before the timer would.
            Sweep();
        }

        lock (_gate)
        {
            if (_sessions.Count >= _maximumUploads)
            {
                return null;
            }

            var session = new UploadSession(Guid.NewGuid().ToString("N"), repository, this);
            _sessions[session.Id] = session;
            return session;
        }
    }

    /// <summary>The session <paramref name="id"/> of <paramref name="repository"/>, or null (also once it has been idle too long).</summary>
    public UploadSession? Find(string repository, string id)
    {
        if (!_sessions.TryGetValue(id, out var session) || !string.Equals(session.Repository, repository, StringComparison.Ordinal))
        {
            return null;
        }

        return session.TryExpire(Now - _idleTimeout, TimeSpan.FromSeconds(1)) ? null : session;
    }

    /// <summary>Forgets a session (finished or cancelled); its bytes are the session's to release.</summary>
    public void Remove(UploadSession session) => _sessions.TryRemove(session.Id, out _);

    /// <summary>A new file in the server's folder, opened for writing and reading back.</summary>
    public FileStream CreateFile()
    {
        ThrowIfDisposed();
        string folder;
        lock (_gate)
        {
            _folder ??= Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "oci-test-registry-" + Guid.NewGuid().ToString("N"))).FullName;
            folder = _folder;
        }

        return new FileStream(Path.Combine(folder, Guid.NewGuid().ToString("N")), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete, 1, FileOptions.Asynchronous);
    }

    /// <summary>Takes <paramref name="bytes"/> of the shared memory budget; false when that would exceed it.</summary>
    internal bool TryReserveMemory(long bytes)
    {
        if (Interlocked.Add(ref _memoryInUse, bytes) <= MemoryBudget)
        {
            return true;
        }

        Interlocked.Add(ref _memoryInUse, -bytes);
        return false;
    }

    /// <summary>Gives back <paramref name="bytes"/> of the memory budget.</summary>
    internal void ReleaseMemory(long bytes) => Interlocked.Add(ref _memoryInUse, -bytes);

    /// <summary>Drops every session idle for longer than the timeout; sessions a request is using are left alone.</summary>
    internal void Sweep()
    {
        var cutoff = Now - _idleTimeout;
        foreach (var session in _sessions.Values)
        {
            session.TryExpire(cutoff);
        }
    }

    /// <summary>Drops every session and deletes the folder (best effort: a file still open elsewhere may remain on Windows).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _sweeper.Dispose();
        foreach (var session in _sessions.Values)
        {
            session.Discard();
        }

        _sessions.Clear();
        string? folder;
        lock (_gate)
        {
            folder = _folder;
        }

        if (folder is null)
        {
            return;
        }

        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private void ThrowIfDisposed()
    {
        if (Volatile.Read(ref _disposed) == 1)
        {
            throw new ObjectDisposedException(nameof(UploadArea), "the test registry has stopped");
        }
    }
}
