using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace OciRegistry.Hosting;

/// <summary>
/// The base of cmdlets that do network work. The work runs on the thread pool with a token that
/// <see cref="StopProcessing"/> cancels (Ctrl+C); everything it wants written is queued and written here, on
/// the pipeline thread, because background code must never call <c>Write*</c> itself.
/// </summary>
public abstract class AsyncPSCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private BlockingCollection<Action>? _pending;

    /// <summary>Cancelled when the user presses Ctrl+C or the pipeline stops.</summary>
    protected CancellationToken StopToken => _stopping.Token;

    /// <summary>Runs <paramref name="work"/> off the pipeline thread and drains its writes until it ends.</summary>
    protected void RunAsync(Func<CancellationToken, Task> work)
    {
        using var pending = new BlockingCollection<Action>();
        _pending = pending;
        var task = Task.Run(async () =>
        {
            try
            {
                await work(_stopping.Token).ConfigureAwait(false);
            }
            finally
            {
                pending.CompleteAdding();
            }
        });

        try
        {
            foreach (var write in pending.GetConsumingEnumerable())
            {
                write();
            }
        }
        catch
        {
            // A write threw (-ErrorAction Stop, a stopped downstream): end the work before passing it on.
            _stopping.Cancel();
            try
            {
                task.Wait();
            }
            catch (AggregateException)
            {
            }

            throw;
        }
        finally
        {
            _pending = null;
        }

        try
        {
            task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>Queues an action for the pipeline thread; runs it at once when called there outside <see cref="RunAsync"/>.</summary>
    protected void Post(Action write)
    {
        var pending = _pending;
        if (pending is null)
        {
            write();
            return;
        }

        try
        {
            pending.Add(write);
        }
        catch (InvalidOperationException)
        {
            // The work has ended; a late trace line has nowhere to go.
        }
    }

    /// <summary>Queues an output object.</summary>
    protected void QueueObject(object value) => Post(() => WriteObject(value));

    /// <summary>Queues a non-terminating error.</summary>
    protected void QueueError(ErrorRecord error) => Post(() => WriteError(error));

    /// <summary>Queues a verbose line.</summary>
    protected void QueueVerbose(string text) => Post(() => WriteVerbose(text));

    /// <summary>Queues a warning.</summary>
    protected void QueueWarning(string text) => Post(() => WriteWarning(text));

    /// <summary>Queues a progress record.</summary>
    protected void QueueProgress(ProgressRecord record) => Post(() => WriteProgress(record));

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
            _stopping.Dispose();
        }
    }
}
