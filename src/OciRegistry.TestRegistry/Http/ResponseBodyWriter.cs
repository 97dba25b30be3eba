using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core;

namespace OciRegistry.TestRegistry.Http;

/// <summary>The response body as a write-only stream over <see cref="HttpServerResponse"/>.</summary>
internal sealed class ResponseBodyWriter : WriteOnlyStream
{
    private readonly HttpServerResponse _response;

    public ResponseBodyWriter(HttpServerResponse response)
    {
        _response = response;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _response.WriteAsync(buffer, offset, count, cancellationToken);

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("the response body is written asynchronously");
}
