using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace OciRegistry.TestRegistry.Http;

/// <summary>
/// A stream in front of a connection's stream that changes only what is read: writes, flushes and disposal go to
/// the inner stream, and nothing seeks. Subclasses read (<see cref="PrefixedStream"/> replays a peek,
/// <see cref="Tls.ClientCertificateGate"/> watches a TLS handshake).
/// </summary>
internal abstract class InterceptingStream(Stream inner) : Stream
{
    /// <summary>The connection's stream.</summary>
    protected Stream Inner { get; } = inner;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Inner.Write(buffer, offset, count);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Flush() => Inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => Inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
