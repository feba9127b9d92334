using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using Gateway.Core.Configuration;
using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.WebSockets;

/// <summary>
/// WebSockets through the gateway with a real client and a real Kestrel echo upstream: messages of every kind and size both
/// ways, a close from either side, the tunnels counted in metrics, timeouts that never cut a healthy tunnel, the idle timeout
/// that does, and graceful drain that keeps a tunnel open until its deadline.
/// </summary>
public sealed class WebSocketTunnelTests
{
    [Fact]
    public async Task TextBinaryAndAOneMegabyteMessageComeBackAndTheClientCloses()
    {
        await using var upstream = await WebSocketUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));
        using var socket = await WebSocketClient.ConnectAsync(gateway.EndPoint, "/echo");
        var large = Payload.Create(1024 * 1024);

        var text = await WebSocketClient.EchoAsync(socket, Encoding.UTF8.GetBytes("hello, tunnel"), WebSocketMessageType.Text);
        var binary = await WebSocketClient.EchoAsync(socket, [0, 1, 2, 255], WebSocketMessageType.Binary);
        var megabyte = await WebSocketClient.EchoAsync(socket, large, WebSocketMessageType.Binary);
        using var deadline = Wait.Deadline();
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", deadline.Token);

        Assert.Equal(101, (int)socket.HttpStatusCode);
        Assert.Equal((WebSocketMessageType.Text, "hello, tunnel"), (text.Type, Encoding.UTF8.GetString(text.Bytes)));
        Assert.Equal(WebSocketMessageType.Binary, binary.Type);
        Assert.Equal([0, 1, 2, 255], binary.Bytes);
        Assert.Equal(WebSocketMessageType.Binary, megabyte.Type);
        Assert.True(large.AsSpan().SequenceEqual(megabyte.Bytes), "the 1 MB message should come back intact");
        Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.CloseStatus);
        Assert.Equal("closed by the client", socket.CloseStatusDescription);
        await Wait.UntilAsync(() => upstream.Sessions == 0, "the upstream's session to end");
    }

    [Fact]
    public async Task TheServerClosesAndTheTunnelEnds()
    {
        await using var upstream = await WebSocketUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));
        var admin = new AdminClient(gateway.AdminEndPoint);
        using var socket = await WebSocketClient.ConnectAsync(gateway.EndPoint, "/echo");
        var open = await admin.MetricsAsync();

        var close = await WebSocketClient.EchoAsync(socket, Encoding.UTF8.GetBytes("close"), WebSocketMessageType.Text);
        using var deadline = Wait.Deadline();
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye too", deadline.Token);

        Assert.Equal(WebSocketMessageType.Close, close.Type);
        Assert.Equal("closed by the server", socket.CloseStatusDescription);
        Assert.Equal(1, MetricsText.Value(open, "gateway_websocket_tunnels"));
        Assert.Equal(1, MetricsText.Value(open, "gateway_websocket_tunnels_opened_total"));
        await Wait.UntilAsync(async () => MetricsText.Value(await admin.MetricsAsync(), "gateway_websocket_tunnels") == 0 ? "closed" : null, "the tunnel gauge to go back to 0");
        Assert.Equal(1, MetricsText.Value(await admin.MetricsAsync(), "gateway_websocket_tunnels_opened_total"));
    }

    [Fact]
    public async Task AQuietTunnelOutlivesTheUpstreamTimeoutAndTheConnectionDeadlines()
    {
        await using var upstream = await WebSocketUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url, timeout: "1s"), settings => settings with
        {
            Limits = settings.Limits with { KeepAliveTimeout = TimeSpan.FromSeconds(1), RequestHeadersTimeout = TimeSpan.FromSeconds(1), MinRequestBodyRate = 1_000_000 },
        });
        using var socket = await WebSocketClient.ConnectAsync(gateway.EndPoint, "/echo");

        await Task.Delay(TimeSpan.FromSeconds(3));
        var answer = await WebSocketClient.EchoAsync(socket, Encoding.UTF8.GetBytes("still here"), WebSocketMessageType.Text);

        Assert.Equal("still here", Encoding.UTF8.GetString(answer.Bytes));
    }

    [Fact]
    public async Task ATunnelIdlePastItsTimeoutIsClosed()
    {
        await using var upstream = await WebSocketUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url), settings => settings with { WebSocketIdleTimeout = TimeSpan.FromSeconds(1) });
        using var socket = await WebSocketClient.ConnectAsync(gateway.EndPoint, "/echo");
        using var deadline = Wait.Deadline();

        await Assert.ThrowsAsync<WebSocketException>(() => WebSocketClient.ReceiveAsync(socket, deadline.Token));
        await Wait.UntilAsync(() => upstream.Sessions == 0, "the upstream's session to end");
    }

    [Fact]
    public async Task DrainKeepsAnOpenTunnelUntilTheDeadlineAndClosesItThere()
    {
        var drain = TimeSpan.FromSeconds(4);
        await using var upstream = await WebSocketUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url), settings => settings with { DrainTimeout = drain });
        using var socket = await WebSocketClient.ConnectAsync(gateway.EndPoint, "/echo");

        var clock = Stopwatch.StartNew();
        var stopping = gateway.Server.StopAsync();
        await Wait.UntilAsync(() => Ports.Refuses(gateway.EndPoint), "new connections to be refused");
        var during = await WebSocketClient.EchoAsync(socket, Encoding.UTF8.GetBytes("draining"), WebSocketMessageType.Text);
        var stillOpen = !stopping.IsCompleted;
        await Wait.ForAsync(stopping, "the gateway to finish stopping");
        var stopped = clock.Elapsed;
        using var deadline = Wait.Deadline();

        Assert.Equal("draining", Encoding.UTF8.GetString(during.Bytes));
        Assert.True(stillOpen, "stop should wait for the open tunnel");
        Assert.True(stopped >= drain - TimeSpan.FromMilliseconds(200), $"the tunnel should stay open until the drain deadline; stop took {stopped}");
        await Assert.ThrowsAsync<WebSocketException>(() => WebSocketClient.ReceiveAsync(socket, deadline.Token));
        await Wait.UntilAsync(() => upstream.Sessions == 0, "the upstream's session to end");
    }
}
