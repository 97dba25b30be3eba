using System;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace OciRegistry.Core.Tests.Support;

/// <summary>A loopback TCP server that answers every connection with the same bytes and counts the connections.</summary>
internal sealed class OneAnswerServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _connections;

    public OneAnswerServer(string answer)
    {
        _listener.Start();
        Host = $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";
        _loop = Task.Run(async () =>
        {
            var bytes = Encoding.ASCII.GetBytes(answer);
            while (!_stop.IsCancellationRequested)
            {
                using var socket = await _listener.AcceptSocketAsync(_stop.Token);
                Interlocked.Increment(ref _connections);
                var request = new byte[8192];
                _ = await socket.ReceiveAsync(request, SocketFlags.None, _stop.Token);
                await socket.SendAsync(bytes, SocketFlags.None, _stop.Token);
                socket.Shutdown(SocketShutdown.Both);
            }
        });
    }

    public string Host { get; }

    public int Connections => Volatile.Read(ref _connections);

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }
}
