using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.TestRegistry;

namespace OciRegistry.Core.Tests.Support;

/// <summary>
/// A TCP client that speaks HTTP/1.1 by hand, for requests HttpClient refuses to send (oversized, malformed,
/// trickled, pipelined) and for reading responses one at a time off a kept-alive connection.
/// </summary>
internal sealed class RawClient : IDisposable
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    private RawClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    /// <summary>Bytes the socket accepted from <see cref="SendIgnoringResetAsync"/>.</summary>
    public long Sent { get; private set; }

    public static async Task<RawClient> ConnectAsync(TestRegistryServer server)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(IPAddress.Loopback, server.Port);
        return new RawClient(tcp);
    }

    public Task SendAsync(byte[] bytes) => _stream.WriteAsync(bytes, 0, bytes.Length);

    public async Task<bool> TrySendAsync(byte[] bytes)
    {
        try
        {
            await SendAsync(bytes);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Sends in 64 KiB pieces until done or until the server closes the connection.</summary>
    public async Task SendIgnoringResetAsync(byte[] bytes)
    {
        try
        {
            for (var offset = 0; offset < bytes.Length; offset += 64 * 1024)
            {
                var count = Math.Min(64 * 1024, bytes.Length - offset);
                await _stream.WriteAsync(bytes, offset, count);
                Sent += count;
            }
        }
        catch (IOException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Sends a request head: <paramref name="head"/> is the request line and headers, without the blank line.</summary>
    public Task SendHeadAsync(string head) => SendAsync(Encoding.ASCII.GetBytes(head + "\r\n\r\n"));

    /// <summary>
    /// Sends <paramref name="count"/> zero bytes as HTTP/1.1 chunks of 64 KiB, then the last chunk when
    /// <paramref name="finish"/>; stops quietly when the server closes the connection.
    /// </summary>
    public async Task SendChunkedZerosIgnoringResetAsync(long count, bool finish)
    {
        var chunk = new byte[64 * 1024];
        try
        {
            for (var left = count; left > 0; left -= chunk.Length)
            {
                var size = (int)Math.Min(chunk.Length, left);
                await SendAsync(Encoding.ASCII.GetBytes(size.ToString("x", System.Globalization.CultureInfo.InvariantCulture) + "\r\n"));
                await _stream.WriteAsync(chunk, 0, size);
                await SendAsync("\r\n"u8.ToArray());
                Sent += size;
            }

            if (finish)
            {
                await SendAsync("0\r\n\r\n"u8.ToArray());
            }
        }
        catch (IOException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Shuts the connection down both ways at once, as a client that went away mid-request.</summary>
    public void Drop()
    {
        _tcp.Client.Shutdown(SocketShutdown.Both);
        _tcp.Close();
    }

    /// <summary>
    /// Reads one response head and returns its status (-1 when the connection closed first); unless
    /// <paramref name="skipBody"/> is false, also reads past its Content-Length body (none for HEAD, 1xx, 204, 304).
    /// </summary>
    public async Task<int> ReadStatusAsync(bool skipBody = true, bool head = false)
    {
        var statusLine = await ReadLineAsync();
        if (statusLine is null)
        {
            return -1;
        }

        var parts = statusLine.Split(' ');
        Assert.StartsWith("HTTP/1.1", parts[0], StringComparison.Ordinal);
        var status = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        var length = 0L;
        for (var line = await ReadLineAsync(); !string.IsNullOrEmpty(line); line = await ReadLineAsync())
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                length = long.Parse(line.Substring("Content-Length:".Length).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        if (skipBody && !head && status is >= 200 and not 204 and not 304)
        {
            for (var left = length; left > 0;)
            {
                if (_start == _end && !await FillAsync())
                {
                    break;
                }

                var take = (int)Math.Min(left, _end - _start);
                _start += take;
                left -= take;
            }
        }

        return status;
    }

    /// <summary>Whether the server closed the connection (within a few seconds) with nothing more to read.</summary>
    public async Task<bool> IsClosedAsync()
    {
        if (_start < _end)
        {
            return false;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            return await _stream.ReadAsync(_buffer.AsMemory(), timeout.Token) == 0;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public void Dispose() => _tcp.Dispose();

    private async Task<string?> ReadLineAsync()
    {
        var line = new StringBuilder();
        while (true)
        {
            if (_start == _end && !await FillAsync())
            {
                return line.Length == 0 ? null : line.ToString();
            }

            var b = _buffer[_start++];
            if (b == '\n')
            {
                return line.ToString().TrimEnd('\r');
            }

            line.Append((char)b);
        }
    }

    private async Task<bool> FillAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(ReadTimeout);
            _start = 0;
            _end = await _stream.ReadAsync(_buffer.AsMemory(), timeout.Token);
            return _end > 0;
        }
        catch (IOException)
        {
            _end = 0;
            return false;
        }
    }
}
