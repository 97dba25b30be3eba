using System;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace OciRegistry.Core.Tests.TestRegistry;

/// <summary>
/// HTTP over a bare socket, for what HttpClient will not do: declare a body far larger than it sends, stop sending
/// part way, or read the answer while the body is still going out.
/// </summary>
internal static class RawRequest
{
    /// <summary>
    /// Sends <paramref name="head"/> (request line and headers, without the blank line), then lets
    /// <paramref name="writeBody"/> write to the socket while the answer is read; a write that fails because the
    /// server closed the connection is ignored. Returns the status (0 when the connection closed without one, or
    /// nothing came within <paramref name="timeout"/>) and the response head.
    /// </summary>
    public static async Task<(int Status, string Head)> SendAsync(Uri server, string head, Func<Stream, Task> writeBody, TimeSpan timeout)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        var stream = client.GetStream();
        var headBytes = Encoding.ASCII.GetBytes(head + "\r\n\r\n");
        await stream.WriteAsync(headBytes);
        var writer = Task.Run(async () =>
        {
            try
            {
                await writeBody(stream);
            }
            catch (IOException)
            {
            }
            catch (ObjectDisposedException)
            {
            }
        });
        using var cts = new CancellationTokenSource(timeout);
        var received = new StringBuilder();
        var buffer = new byte[4096];
        try
        {
            while (received.ToString().IndexOf("\r\n\r\n", StringComparison.Ordinal) < 0)
            {
                var read = await stream.ReadAsync(buffer, cts.Token);
                if (read == 0)
                {
                    break;
                }

                received.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException)
        {
        }

        client.Close();
        await writer;
        var text = received.ToString();
        var parts = text.Split(' ', 3);
        return (parts.Length >= 2 && text.StartsWith("HTTP/", StringComparison.Ordinal) && int.TryParse(parts[1], out var status) ? status : 0, text);
    }

    /// <summary>Sends <paramref name="head"/> and the first <paramref name="sent"/> bytes of the body, then closes the connection.</summary>
    public static async Task SendAndDropAsync(Uri server, string head, int sent)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head + "\r\n\r\n"));
        await stream.WriteAsync(new byte[sent]);
        await stream.FlushAsync();
        client.Client.Shutdown(SocketShutdown.Both);
        client.Close();
    }

    /// <summary>Writes <paramref name="count"/> zero bytes in 64 KiB pieces.</summary>
    public static async Task WriteZerosAsync(Stream stream, long count)
    {
        var chunk = new byte[64 * 1024];
        for (var left = count; left > 0; left -= chunk.Length)
        {
            await stream.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, left)));
        }
    }

    /// <summary>Writes <paramref name="count"/> zero bytes as HTTP/1.1 chunks of 64 KiB, then the last chunk when <paramref name="finish"/>.</summary>
    public static async Task WriteChunkedZerosAsync(Stream stream, long count, bool finish)
    {
        var chunk = new byte[64 * 1024];
        for (var left = count; left > 0; left -= chunk.Length)
        {
            var size = (int)Math.Min(chunk.Length, left);
            await stream.WriteAsync(Encoding.ASCII.GetBytes(size.ToString("x", System.Globalization.CultureInfo.InvariantCulture) + "\r\n"));
            await stream.WriteAsync(chunk.AsMemory(0, size));
            await stream.WriteAsync("\r\n"u8.ToArray());
        }

        if (finish)
        {
            await stream.WriteAsync("0\r\n\r\n"u8.ToArray());
        }
    }
}
