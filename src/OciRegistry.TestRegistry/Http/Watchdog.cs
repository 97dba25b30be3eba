using System;
using System.Threading;

namespace OciRegistry.TestRegistry.Http;

/// <summary>
/// One timer per connection that closes it when it stays silent too long: armed before every read or write with the
/// time that step may take, disarmed after. Closing the socket fails the pending I/O, on every platform (a
/// cancellation token does not stop a pending socket read on .NET Framework).
/// </summary>
internal sealed class Watchdog : IDisposable
{
    private readonly Timer _timer;
    private int _expired;

    public Watchdog(Action onExpired)
    {
        _timer = new Timer(_ =>
        {
            Interlocked.Exchange(ref _expired, 1);
            onExpired();
        });
    }

    /// <summary>Whether the watchdog fired and closed the connection.</summary>
    public bool Expired => Volatile.Read(ref _expired) == 1;

    public void Arm(TimeSpan timeout) => _timer.Change(timeout, Timeout.InfiniteTimeSpan);

    public void Disarm() => _timer.Change(Timeout.Infinite, Timeout.Infinite);

    public void Dispose() => _timer.Dispose();
}
