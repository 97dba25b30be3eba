using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace OciRegistry.Core.Client;

/// <summary>
/// The one backoff policy of a client: how long to wait before retry number N (<see cref="RetryOptions.ComputeDelay"/>
/// with a jitter drawn here), shared by the request retries (<see cref="RetryHandler"/>) and the reconnects of a
/// broken blob body (<c>Transfer.ResumingBlobStream</c>), so both back off alike and draw from one random source.
/// A request may carry a wait observer (<see cref="ObserveWaits"/>): whoever sent it learns of each wait before it
/// starts, typed, without reading it out of a trace line.
/// </summary>
internal sealed class Backoff
{
    private const string ObserverKey = "OciRegistry.Core.Client.Backoff.Observer";
    private readonly Random _random = new();

    public Backoff(RetryOptions options, TimeProvider time)
    {
        Options = options;
        Time = time;
    }

    /// <summary>How many retries, how long at most, how much Retry-After is honoured.</summary>
    public RetryOptions Options { get; }

    /// <summary>The clock waits are measured on.</summary>
    public TimeProvider Time { get; }

    /// <summary>The wait before retry number <paramref name="attempt"/> (0 for the first), at least <paramref name="retryAfter"/>.</summary>
    public TimeSpan Delay(int attempt, TimeSpan? retryAfter)
    {
        double random;
        lock (_random)
        {
            random = _random.NextDouble();
        }

        return Options.ComputeDelay(attempt, retryAfter, random);
    }

    /// <summary>Waits <paramref name="delay"/> on the client's clock.</summary>
    public Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken) => Time.Delay(delay, cancellationToken);

    /// <summary>Asks that <paramref name="onWait"/> hear of every wait before a retry of <paramref name="request"/>.</summary>
    public static void ObserveWaits(HttpRequestMessage request, Action<TimeSpan>? onWait)
    {
        if (onWait is not null)
        {
            request.Properties[ObserverKey] = onWait;
        }
    }

    /// <summary>Tells the observer of <paramref name="request"/>, if it has one, that a wait of <paramref name="delay"/> begins.</summary>
    public static void Announce(HttpRequestMessage request, TimeSpan delay)
    {
        if (request.Properties.TryGetValue(ObserverKey, out var observer) && observer is Action<TimeSpan> onWait)
        {
            onWait(delay);
        }
    }
}
