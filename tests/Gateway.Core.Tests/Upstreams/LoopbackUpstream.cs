using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gateway.Core.Tests.Upstreams;

/// <summary>A TCP server on 127.0.0.1 that treats each connection as the test currently says, and counts what it saw.</summary>
internal sealed class LoopbackUpstream : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopped = new();
    private readonly ConcurrentQueue<string> _requests = new();
    private int _answer;
    private int _accepted;
    private int _closedByClient;
    private int _answeredOk;
    private int _answeredUnavailable;

    /// <summary>Starts listening on a free port, treating connections as <paramref name="answer"/> says.</summary>
    public LoopbackUpstream(UpstreamAnswer answer)
    {
        Answer = answer;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = AcceptAsync();
    }

    /// <summary>How connections are treated from now on (each one as it was when its request head arrived).</summary>
    public UpstreamAnswer Answer
    {
        get => (UpstreamAnswer)Volatile.Read(ref _answer);
        set => Volatile.Write(ref _answer, (int)value);
    }

    /// <summary>The port listened on.</summary>
    public int Port { get; }

    /// <summary>The server's address as a destination URL.</summary>
    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>Connections accepted so far.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Held connections that the client closed.</summary>
    public int ClosedByClient => Volatile.Read(ref _closedByClient);

    /// <summary>200 answers sent (counted just before each is sent).</summary>
    public int AnsweredOk => Volatile.Read(ref _answeredOk);

    /// <summary>503 answers sent (counted just before each is sent).</summary>
    public int AnsweredUnavailable => Volatile.Read(ref _answeredUnavailable);

    /// <summary>The request heads received, in order of arrival.</summary>
    public IReadOnlyCollection<string> Requests => _requests;

    /// <inheritdoc/>
    public void Dispose()
    {
        _stopped.Cancel();
        _listener.Stop();
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stopped.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref _accepted);
            _ = ServeAsync(socket);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using var _ = socket;
        try
        {
            if (Answer == UpstreamAnswer.Hold)
            {
                await HoldAsync(socket);
                return;
            }

            var head = await ReadHeadAsync(socket);
            if (head is null)
            {
                return;
            }

            _requests.Enqueue(head);
            var answer = Answer;
            if (answer == UpstreamAnswer.Hold)
            {
                await HoldAsync(socket);
                return;
            }

            string? status = null;
            if (answer == UpstreamAnswer.Ok)
            {
                Interlocked.Increment(ref _answeredOk);
                status = "200 OK";
            }
            else if (answer == UpstreamAnswer.Unavailable)
            {
                Interlocked.Increment(ref _answeredUnavailable);
                status = "503 Service Unavailable";
            }

            if (status is not null)
            {
                await socket.SendAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"), _stopped.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The test is over, or the client went away: nothing left to serve.
        }
    }

    private async Task HoldAsync(Socket socket)
    {
        var buffer = new byte[1024];
        while (await socket.ReceiveAsync(buffer, _stopped.Token) > 0)
        {
        }

        Interlocked.Increment(ref _closedByClient);
    }

    private async Task<string?> ReadHeadAsync(Socket socket)
    {
        var received = new StringBuilder();
        var buffer = new byte[1024];
        while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await socket.ReceiveAsync(buffer, _stopped.Token);
            if (read == 0)
            {
                return null;
            }

            received.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return received.ToString();
    }
}
