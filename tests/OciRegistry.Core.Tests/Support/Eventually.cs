using System;
using System.Threading.Tasks;

namespace OciRegistry.Core.Tests.Support;

/// <summary>Waits for something another thread does after the test has seen its answer (a server letting go of a session, a log entry).</summary>
public static class Eventually
{
    /// <summary>Returns once <paramref name="condition"/> holds; throws when it has not within 20 seconds.</summary>
    public static async Task TrueAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the condition did not come true within 20 s");
            }

            await Task.Delay(20);
        }
    }
}
