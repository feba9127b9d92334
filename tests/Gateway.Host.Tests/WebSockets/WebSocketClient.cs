using System.Net;
using System.Net.WebSockets;

namespace Gateway.Host.Tests.WebSockets;

/// <summary>ClientWebSocket helpers: connect through the gateway, send a message and read the whole answer.</summary>
internal static class WebSocketClient
{
    /// <summary>Opens a WebSocket to <paramref name="path"/> on <paramref name="endPoint"/>, with a bearer <paramref name="token"/> when given.</summary>
    public static async Task<ClientWebSocket> ConnectAsync(IPEndPoint endPoint, string path, string? token = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        if (token is not null)
        {
            socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
        }

        using var deadline = Infrastructure.Wait.Deadline();
        await socket.ConnectAsync(new Uri($"ws://{endPoint}{path}"), deadline.Token);
        return socket;
    }

    /// <summary>Sends <paramref name="message"/> as one message of <paramref name="type"/> and returns the next whole message received.</summary>
    public static async Task<(WebSocketMessageType Type, byte[] Bytes)> EchoAsync(ClientWebSocket socket, byte[] message, WebSocketMessageType type)
    {
        using var deadline = Infrastructure.Wait.Deadline();
        await socket.SendAsync(message, type, endOfMessage: true, deadline.Token);
        return await ReceiveAsync(socket, deadline.Token);
    }

    /// <summary>The next whole message (for a close, its type and no bytes).</summary>
    public static async Task<(WebSocketMessageType Type, byte[] Bytes)> ReceiveAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        using var message = new MemoryStream();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, cancellationToken);
            message.Write(buffer, 0, received.Count);
            if (received.EndOfMessage)
            {
                return (received.MessageType, message.ToArray());
            }
        }
    }
}
