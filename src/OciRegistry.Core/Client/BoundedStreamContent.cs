using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Client;

/// <summary>
/// A request body of exactly <c>length</c> bytes read from a stream as it is sent (an upload chunk streamed from its
/// source), with that length announced. A source that ends early does not hold the blob its descriptor describes.
/// It is sent once: the uploader, not the client, decides what to send after a failure.
/// </summary>
internal sealed class BoundedStreamContent(Stream source, long length, Descriptor blob) : HttpContent
{
    private const int BufferBytes = 256 * 1024;

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        var buffer = new byte[(int)Math.Min(BufferBytes, Math.Max(1, length))];
        var left = length;
        while (left > 0)
        {
            var read = await source.ReadAsync(buffer, 0, (int)Math.Min(buffer.Length, left)).ConfigureAwait(false);
            if (read == 0)
            {
                throw new ContentVerificationException(ContentKind.Blob,
                    $"the source of the blob {blob.Digest} ended {left} bytes before its descriptor's {blob.Size}; nothing was committed", blob.Digest);
            }

            await stream.WriteAsync(buffer, 0, read).ConfigureAwait(false);
            left -= read;
        }
    }

    protected override bool TryComputeLength(out long length1)
    {
        length1 = length;
        return true;
    }
}
