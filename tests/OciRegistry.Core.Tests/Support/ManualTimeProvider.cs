using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace OciRegistry.Core.Tests.Support;

/// <summary>
/// A clock for tests: <see cref="GetUtcNow"/> returns a time the test sets, and every timer records its due time and
/// fires at once on the thread pool, so retry waits take no real time. With <see cref="FireTimers"/> off, timers
/// never fire and only a cancelled token ends a wait.
/// </summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private readonly object _gate = new();
    private readonly ConcurrentQueue<TimeSpan> _waits = new();
    private readonly TaskCompletionSource _firstTimer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DateTimeOffset _now = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Whether timers fire immediately; off, they never fire.</summary>
    public bool FireTimers { get; init; } = true;

    /// <summary>The time <see cref="GetUtcNow"/> answers.</summary>
    public DateTimeOffset Now
    {
        get
        {
            lock (_gate)
            {
                return _now;
            }
        }

        set
        {
            lock (_gate)
            {
                _now = value;
            }
        }
    }

    /// <summary>The due time of every timer created, in order.</summary>
    public IReadOnlyList<TimeSpan> Waits => [.. _waits];

    /// <summary>Completes when the first timer is created.</summary>
    public Task FirstTimerCreated => _firstTimer.Task;

    public void Advance(TimeSpan by)
    {
        lock (_gate)
        {
            _now += by;
        }
    }

    public override DateTimeOffset GetUtcNow() => Now;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new InstantTimer(callback, state);
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            _waits.Enqueue(dueTime);
            _firstTimer.TrySetResult();
            if (FireTimers)
            {
                ThreadPool.QueueUserWorkItem(_ => timer.Fire());
            }
        }

        return timer;
    }

    private sealed class InstantTimer(TimerCallback callback, object? state) : ITimer
    {
        private int _disposed;

        public void Fire()
        {
            if (Volatile.Read(ref _disposed) == 0)
            {
                callback(state);
            }
        }

        public bool Change(TimeSpan dueTime, TimeSpan period) => Volatile.Read(ref _disposed) == 0;

        public void Dispose() => Interlocked.Exchange(ref _disposed, 1);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return default;
        }
    }
}
