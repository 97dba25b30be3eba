using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace OciRegistry.TestRegistry.Http;

/// <summary>The response body as a write-only stream over <see cref="HttpServerResponse"/>.</summary>
internal sealed class ResponseBodyWriter : Stream
{
    private readonly HttpServerResponse _response;

    public ResponseBodyWriter(HttpServerResponse response)
    {
        _response = response;
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _response.WriteAsync(buffer, offset, count, cancellationToken);

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("the response body is written asynchronously");

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
