using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace OciRegistry.Core.Client;

/// <summary>
/// A read-only wrapper that fails a read with <see cref="IdleTimeoutException"/> when no byte arrives for the idle
/// time. Each read gets the full idle time again, so a slow but moving body is never cut.
/// </summary>
internal sealed class IdleTimeoutStream(Stream inner, TimeSpan idle) : ReadOnlyStream
{
    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(idle);
        try
        {
            return await inner.ReadAsync(buffer, offset, count, timer.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IdleTimeoutException("body bytes", idle) { Source = e.Source };
        }
    }

    /// <summary>Synchronous reads are not guarded: the core only reads asynchronously.</summary>
    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
