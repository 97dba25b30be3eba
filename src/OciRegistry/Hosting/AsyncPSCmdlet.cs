using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace OciRegistry.Hosting;

/// <summary>
/// The base of cmdlets that do network work. Work runs on the thread pool with a token that
/// <see cref="StopProcessing"/> cancels (Ctrl+C); everything it wants written is queued and written on the
/// pipeline thread, because background code must never call <c>Write*</c> itself. Work items can run side by
/// side (<see cref="Start"/>) while the pipeline keeps feeding input; <see cref="WaitForAll"/> drains the writes
/// until every item has ended.
/// </summary>
public abstract class AsyncPSCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly BlockingCollection<Action> _pending = new();
    private readonly List<Task> _work = [];
    private int _running;

    /// <summary>Cancelled when the user presses Ctrl+C or the pipeline stops.</summary>
    protected CancellationToken StopToken => _stopping.Token;

    /// <summary>Runs <paramref name="work"/> off the pipeline thread and drains its writes until it ends.</summary>
    protected void RunAsync(Func<CancellationToken, Task> work)
    {
        Start(work);
        WaitForAll();
    }

    /// <summary>Starts <paramref name="work"/> on the thread pool and returns at once.</summary>
    protected void Start(Func<CancellationToken, Task> work)
    {
        Interlocked.Increment(ref _running);
        var task = Task.Run(async () =>
        {
            try
            {
                await work(_stopping.Token).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref _running);
                _pending.Add(static () => { });
            }
        });
        _work.Add(task);
    }

    /// <summary>Writes whatever is queued now, without waiting for more.</summary>
    protected void WriteQueued() => Drain(untilIdle: false);

    /// <summary>Writes queued items until every started work item has ended, then surfaces their failures.</summary>
    protected void WaitForAll()
    {
        Drain(untilIdle: true);
        var failed = _work.FirstOrDefault(t => t.IsFaulted);
        var cancelled = _work.Any(t => t.IsCanceled) || (failed?.Exception?.InnerExceptions.All(e => e is OperationCanceledException) ?? false);
        _work.Clear();
        if (_stopping.IsCancellationRequested && (cancelled || failed is not null))
        {
            throw new PipelineStoppedException();
        }

        if (failed is not null)
        {
            var inner = failed.Exception!.InnerException!;
            ThrowTerminatingError(ErrorMapping.ToErrorRecord(inner, null, ErrorSubject.Content));
        }
    }

    private void Drain(bool untilIdle)
    {
        try
        {
            while (true)
            {
                while (_pending.TryTake(out var write))
                {
                    write();
                }

                if (!untilIdle)
                {
                    return;
                }

                if (Volatile.Read(ref _running) == 0)
                {
                    // Work items queue their last writes before they count themselves out, so once the count is
                    // zero one more pass finds everything; without it, a write queued between the pass above and
                    // the check would be lost.
                    while (_pending.TryTake(out var late))
                    {
                        late();
                    }

                    return;
                }

                _pending.Take()();
            }
        }
        catch (Exception e) when (e is not PipelineStoppedException || !_stopping.IsCancellationRequested)
        {
            // A write threw (-ErrorAction Stop, a stopped downstream command): end the work before passing it on.
            _stopping.Cancel();
            try
            {
                Task.WaitAll([.. _work]);
            }
            catch (AggregateException)
            {
            }

            throw;
        }
    }

    /// <summary>Queues an action for the pipeline thread; it runs at the next drain.</summary>
    protected void Post(Action write) => _pending.Add(write);

    /// <summary>Queues an output object.</summary>
    protected void QueueObject(object value) => Post(() => WriteObject(value));

    /// <summary>Queues a non-terminating error.</summary>
    protected void QueueError(ErrorRecord error) => Post(() => WriteError(error));

    /// <summary>Queues a verbose line.</summary>
    protected void QueueVerbose(string text) => Post(() => WriteVerbose(text));

    /// <summary>Queues a debug line.</summary>
    protected void QueueDebug(string text) => Post(() => WriteDebug(text));

    /// <summary>Queues a warning.</summary>
    protected void QueueWarning(string text) => Post(() => WriteWarning(text));

    /// <summary>Queues a progress record.</summary>
    protected void QueueProgress(ProgressRecord record) => Post(() => WriteProgress(record));

    /// <summary>The tags of progress lines: PSHOST shows them as Write-Host would, whatever $InformationPreference says.</summary>
    internal static readonly string[] ProgressLineTags = ["PSHOST", "OciRegistry.Progress"];

    /// <summary>
    /// Queues a progress line for logs that cannot show progress bars: an information record that the host prints
    /// (as Write-Host does), tagged so that -InformationVariable or 6&gt; can capture or drop it.
    /// </summary>
    protected void QueueProgressLine(string text) =>
        Post(() => WriteInformation(new HostInformationMessage { Message = text }, ProgressLineTags));

    /// <summary>Cancels the running work.</summary>
    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>Releases the cancellation source.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases resources; derived cmdlets dispose their clients here.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stopping.Cancel();
            _pending.Dispose();
            _stopping.Dispose();
        }
    }
}
