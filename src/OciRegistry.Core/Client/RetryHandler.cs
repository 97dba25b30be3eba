using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Polly;
using Polly.Retry;

namespace OciRegistry.Core.Client;

/// <summary>
/// Retries transient failures (see <see cref="RetryClassifier"/>) with exponential, jittered, bounded backoff,
/// waiting at least as long as <c>Retry-After</c> asks. A cancelled operation stops at once: Polly checks the
/// token before each attempt and during each wait. A request whose body cannot be sent again
/// (<see cref="ReplayableContent"/>), or whose sender keeps retries to itself (<see cref="LeaveToCaller"/>: an
/// upload chunk, which resumes from the offset the registry reports instead), is sent once.
/// </summary>
internal sealed class RetryHandler : DelegatingHandler
{
    private const string LeftToCallerKey = "OciRegistry.Core.Client.RetryHandler.LeftToCaller";
    private static readonly ResiliencePropertyKey<HttpRequestMessage> RequestKey = new("OciRegistry.Request");
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly Backoff _backoff;
    private readonly RetryOptions _options;
    private readonly TimeProvider _time;
    private readonly Action<HttpTraceEvent>? _trace;

    public RetryHandler(Backoff backoff, Action<HttpTraceEvent>? trace)
    {
        _backoff = backoff;
        _options = backoff.Options;
        _time = backoff.Time;
        _trace = trace;
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = _time };
        if (_options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = _options.MaxRetries,
                ShouldHandle = args => new ValueTask<bool>(ShouldRetry(args.Outcome, args.AttemptNumber)),
                DelayGenerator = args => new ValueTask<TimeSpan?>(Delay(args.AttemptNumber, args.Outcome)),
                OnRetry = args =>
                {
                    args.Context.Properties.TryGetValue(RequestKey, out var request);
                    Report(request, args.Outcome, args.RetryDelay, args.AttemptNumber);
                    if (request is not null)
                    {
                        Backoff.Announce(request, args.RetryDelay);
                    }

                    args.Outcome.Result?.Dispose();
                    return default;
                },
            });
        }

        _pipeline = builder.Build();
    }

    /// <summary>Marks <paramref name="request"/> as one this handler sends once: its sender retries it its own way.</summary>
    internal static void LeaveToCaller(HttpRequestMessage request) => request.Properties[LeftToCallerKey] = true;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!ReplayableContent.Allows(request.Content) || request.Properties.ContainsKey(LeftToCallerKey))
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(RequestKey, request);
        try
        {
            return await _pipeline.ExecuteAsync(
                async (c, state) => await state.Handler.BaseSendAsync(state.Request, c.CancellationToken).ConfigureAwait(false),
                context,
                (Handler: this, Request: request)).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private Task<HttpResponseMessage> BaseSendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => base.SendAsync(request, cancellationToken);

    private bool ShouldRetry(Outcome<HttpResponseMessage> outcome, int attempt)
    {
        if (outcome.Exception is { } exception)
        {
            if (exception is OperationCanceledException)
            {
                return false;
            }

            if (RetryClassifier.IsNameResolutionFailure(exception))
            {
                return attempt == 0;
            }

            return RetryClassifier.IsTransientException(exception) && WithinRetryAfterBound(exception is RegistryResponseException r ? r.RetryAfter : null);
        }

        var response = outcome.Result!;
        return RetryClassifier.IsTransientStatus((int)response.StatusCode) && WithinRetryAfterBound(RetryAfter(response));
    }

    private bool WithinRetryAfterBound(TimeSpan? retryAfter) => retryAfter is null || retryAfter <= _options.MaxRetryAfter;

    private TimeSpan? RetryAfter(HttpResponseMessage response) => RetryClassifier.RetryAfter(response, _time.GetUtcNow());

    private TimeSpan Delay(int attempt, Outcome<HttpResponseMessage> outcome)
    {
        var retryAfter = outcome.Result is { } response ? RetryAfter(response) : (outcome.Exception as RegistryResponseException)?.RetryAfter;
        return _backoff.Delay(attempt, retryAfter);
    }

    /// <summary>Traces a retry, naming the request (also when the failure was an exception, which has no response to name it).</summary>
    private void Report(HttpRequestMessage? sent, Outcome<HttpResponseMessage> outcome, TimeSpan delay, int attempt)
    {
        if (_trace is null)
        {
            return;
        }

        var request = sent ?? outcome.Result?.RequestMessage;
        var reason = outcome.Result is { } response
            ? $"after HTTP {(int)response.StatusCode}" + (RetryAfter(response) is { } wait ? $" (Retry-After {wait.TotalSeconds:0.#} s)" : string.Empty)
            : $"after {outcome.Exception!.GetType().Name}: {TextRedactor.Redact(outcome.Exception.Message)}";
        _trace(new HttpTraceEvent(
            HttpTraceKind.Retry,
            request?.Method.Method ?? "GET",
            UrlRedactor.Redact(request?.RequestUri),
            $"(attempt {attempt + 2} of {_options.MaxRetries + 1}) {reason}",
            delay: delay));
    }
}
