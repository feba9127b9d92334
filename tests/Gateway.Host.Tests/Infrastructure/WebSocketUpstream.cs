using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gateway.Host.Tests.Infrastructure;

/// <summary>
/// A Kestrel upstream with WebSockets on 127.0.0.1:0: <c>/echo</c> accepts the upgrade and sends every message back as it
/// came (the text "close" makes it close the socket itself), <c>/missing</c> answers 404, anything else 200 "plain". It records
/// the Upgrade and Connection fields each request arrived with.
/// </summary>
internal sealed class WebSocketUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(string Path, string? Upgrade, string? Connection)> _requests = new();
    private int _sessions;

    private WebSocketUpstream(WebApplication app) => _app = app;

    /// <summary>The base URL, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Url { get; private set; } = "";

    /// <summary>The requests received: path, Upgrade and Connection (null when absent), in arrival order.</summary>
    public IReadOnlyList<(string Path, string? Upgrade, string? Connection)> Requests => [.. _requests];

    /// <summary>Echo sessions still open on the upstream's side.</summary>
    public int Sessions => Volatile.Read(ref _sessions);

    /// <summary>Starts the upstream.</summary>
    public static async Task<WebSocketUpstream> StartAsync()
    {
        var app = LoopbackApp.Create();
        var upstream = new WebSocketUpstream(app);
        app.UseWebSockets();
        app.Run(upstream.HandleAsync);
        await app.StartAsync();
        upstream.Url = LoopbackApp.UrlOf(app);
        return upstream;
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var headers = context.Request.Headers;
        var path = context.Request.Path.Value ?? "";
        _requests.Enqueue((path, headers.Upgrade.Count == 0 ? null : headers.Upgrade.ToString(), headers.Connection.Count == 0 ? null : headers.Connection.ToString()));
        if (path == "/echo" && context.WebSockets.IsWebSocketRequest)
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            Interlocked.Increment(ref _sessions);
            try
            {
                await EchoAsync(socket);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
            {
                // The gateway cut the tunnel.
            }
            finally
            {
                Interlocked.Decrement(ref _sessions);
            }

            return;
        }

        context.Response.StatusCode = path == "/missing" ? 404 : 200;
        await context.Response.WriteAsync(path == "/missing" ? "missing" : "plain");
    }

    private static async Task EchoAsync(WebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "closed by the client", CancellationToken.None);
                return;
            }

            message.Write(buffer, 0, received.Count);
            if (!received.EndOfMessage)
            {
                continue;
            }

            var bytes = message.ToArray();
            message.SetLength(0);
            if (received.MessageType == WebSocketMessageType.Text && Encoding.UTF8.GetString(bytes) == "close")
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "closed by the server", CancellationToken.None);
                return;
            }

            await socket.SendAsync(bytes, received.MessageType, endOfMessage: true, CancellationToken.None);
        }
    }
}
