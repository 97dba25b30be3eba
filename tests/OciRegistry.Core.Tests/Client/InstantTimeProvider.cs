using System;
using System.Threading;
using System.Threading.Tasks;

namespace OciRegistry.Core.Tests.Client;

/// <summary>A clock whose timers fire at once, so that nothing in a client test waits in real time.</summary>
internal sealed class InstantTimeProvider : TimeProvider
{
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new Timer(callback, state, Timeout.Infinite, Timeout.Infinite);
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            timer.Change(0, Timeout.Infinite);
        }

        return new Wrapped(timer);
    }

    private sealed class Wrapped(Timer timer) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => timer.Change(dueTime == Timeout.InfiniteTimeSpan ? Timeout.Infinite : 0, Timeout.Infinite);

        public void Dispose() => timer.Dispose();

        public ValueTask DisposeAsync() => timer.DisposeAsync();
    }
}
