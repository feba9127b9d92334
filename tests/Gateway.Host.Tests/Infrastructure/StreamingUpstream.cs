using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gateway.Host.Tests.Infrastructure;

/// <summary>
/// A raw TCP upstream for backpressure tests: it answers every request with a <c>Content-Length</c> body of the given size,
/// sent as fast as the connection takes it and counted as the kernel accepts it; or, given no body size, it reads a
/// request's head and then nothing more, so that a request body waits. Its sockets have small fixed buffers, so what it
/// counts is what the gateway took.
/// </summary>
internal sealed class StreamingUpstream : IAsyncDisposable
{
    private const int SocketBufferBytes = 64 * 1024;

    private readonly TcpListener _listener;
    private readonly long _bodyBytes;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _closedMidBody = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _headRead = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<Socket> _sockets = [];
    private readonly Task _acceptLoop;
    private long _sent;
    private int _connections;

    private StreamingUpstream(long bodyBytes)
    {
        _bodyBytes = bodyBytes;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Server.ReceiveBufferSize = SocketBufferBytes;
        _listener.Server.SendBufferSize = SocketBufferBytes;
        _listener.Start();
        _acceptLoop = AcceptAsync();
    }

    /// <summary>The base URL, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Body bytes the connection has taken from this upstream so far, on all connections.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Connections the gateway opened to this upstream.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Completes when a connection was closed by the gateway before its whole body was sent.</summary>
    public Task ClosedMidBody => _closedMidBody.Task;

    /// <summary>Completes when a request's head has arrived (its body, if any, is left unread).</summary>
    public Task HeadRead => _headRead.Task;

    /// <summary>Starts an upstream that answers every request with a body of <paramref name="bodyBytes"/> bytes (0: reads the head and never answers).</summary>
    public static StreamingUpstream Start(long bodyBytes) => new(bodyBytes);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        lock (_sockets)
        {
            foreach (var socket in _sockets)
            {
                socket.Dispose();
            }
        }

        try
        {
            await _acceptLoop;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var socket = await _listener.AcceptSocketAsync(_stop.Token);
            lock (_sockets)
            {
                _sockets.Add(socket);
            }

            Interlocked.Increment(ref _connections);
            _ = Task.Run(() => ServeAsync(socket));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        try
        {
            await ReadHeadAsync(socket);
            _headRead.TrySetResult();
            if (_bodyBytes == 0)
            {
                return;
            }

            var head = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {_bodyBytes}\r\n\r\n");
            await socket.SendAsync(head, _stop.Token);
            var chunk = Payload.Create(SocketBufferBytes);
            for (var left = _bodyBytes; left > 0;)
            {
                var sent = await socket.SendAsync(chunk.AsMemory(0, (int)Math.Min(left, chunk.Length)), _stop.Token);
                Interlocked.Add(ref _sent, sent);
                left -= sent;
            }
        }
        catch (SocketException) when (!_stop.IsCancellationRequested)
        {
            _closedMidBody.TrySetResult();
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    /// <summary>Reads up to the end of a request head, one byte at a time, so that no byte of a body is taken.</summary>
    private async Task ReadHeadAsync(Socket socket)
    {
        var one = new byte[1];
        var tail = 0u;
        while (tail != 0x0D0A0D0A)
        {
            if (await socket.ReceiveAsync(one, _stop.Token) == 0)
            {
                throw new SocketException((int)SocketError.ConnectionReset);
            }

            tail = (tail << 8) | one[0];
        }
    }
}
