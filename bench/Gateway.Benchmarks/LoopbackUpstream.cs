using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gateway.Benchmarks;

/// <summary>A keep-alive HTTP/1.1 server on 127.0.0.1 that answers every request head with one fixed response: a status and a body ("ok" unless given).</summary>
internal sealed class LoopbackUpstream : IDisposable
{
    private static readonly byte[] HeadEnd = "\r\n\r\n"u8.ToArray();
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly byte[] _answer;

    /// <summary>Starts answering <paramref name="status"/> (e.g. "200 OK") with the body "ok" on a free port.</summary>
    public LoopbackUpstream(string status)
        : this(status, "", "ok"u8.ToArray())
    {
    }

    /// <summary>Starts answering <paramref name="status"/> with <paramref name="body"/> and, unless empty, a Content-Type of <paramref name="contentType"/>.</summary>
    public LoopbackUpstream(string status, string contentType, byte[] body)
    {
        var type = contentType.Length == 0 ? "" : $"Content-Type: {contentType}\r\n";
        _answer = [.. Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\n{type}Content-Length: {body.Length}\r\n\r\n"), .. body];
        _listener.Start();
        _ = AcceptAsync();
    }

    /// <summary>The server's address as a destination URL.</summary>
    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>A destination URL nothing listens on: connecting is refused at once.</summary>
    public static string Refusing()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return $"http://127.0.0.1:{port}";
    }

    /// <inheritdoc/>
    public void Dispose() => _listener.Stop();

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                _ = ServeAsync(await _listener.AcceptSocketAsync());
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    /// <summary>Answers each request head on <paramref name="socket"/> (requests without bodies) until the peer closes.</summary>
    private async Task ServeAsync(Socket socket)
    {
        using var _ = socket;
        var buffer = new byte[16 * 1024];
        var filled = 0;
        try
        {
            while (true)
            {
                var read = await socket.ReceiveAsync(buffer.AsMemory(filled));
                if (read == 0)
                {
                    return;
                }

                filled += read;
                int end;
                while ((end = buffer.AsSpan(0, filled).IndexOf(HeadEnd)) >= 0)
                {
                    await socket.SendAsync(_answer);
                    var rest = filled - (end + HeadEnd.Length);
                    buffer.AsSpan(end + HeadEnd.Length, rest).CopyTo(buffer);
                    filled = rest;
                }
            }
        }
        catch (SocketException)
        {
            // The gateway closed the connection.
        }
    }
}
