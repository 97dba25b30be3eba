using System;

namespace OciRegistry.Core.Tests.TestRegistry;

/// <summary>A clock tests move by hand; timers and timestamps stay real, so retries and delays still work.</summary>
internal sealed class ManualClock : TimeProvider
{
    private DateTimeOffset _now = DateTimeOffset.UtcNow;

    public override DateTimeOffset GetUtcNow()
    {
        lock (this)
        {
            return _now;
        }
    }

    public void Advance(TimeSpan by)
    {
        lock (this)
        {
            _now += by;
        }
    }
}
