using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Limits;

/// <summary>
/// Connections over the per-client or the total cap are answered 503 with <c>Connection: close</c> before anything is
/// read, and closing a connection makes room again. Every test client is 127.0.0.1, so all share one per-client count.
/// </summary>
public sealed class ConnectionLimitTests
{
    [Fact]
    public async Task ConnectionOverTheClientCapIs503AndClosed()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(
            Configs.CatchAll(upstream.Url), s => s with { Transport = s.Transport with { MaxConnectionsPerClient = 2 } });
        await using var first = await OpenServedAsync(gateway);
        await using var second = await OpenServedAsync(gateway);

        await using var third = await gateway.ConnectAsync();
        var refused = await third.ReadResponseAsync();

        var detail = Problem.AssertIs(503, refused);
        Assert.Contains("client", detail, StringComparison.Ordinal);
        Assert.True(refused.ConnectionHas("close"));
        Assert.True(await third.WaitForCloseAsync(), "the gateway should close a refused connection");
        Assert.Equal(2, upstream.Arrivals);
    }

    [Fact]
    public async Task ClosingAConnectionMakesRoomForTheClient()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(
            Configs.CatchAll(upstream.Url), s => s with { Transport = s.Transport with { MaxConnectionsPerClient = 1 } });
        var first = await OpenServedAsync(gateway);
        await using (var refused = await gateway.ConnectAsync())
        {
            Assert.Equal(503, (await refused.ReadResponseAsync()).Status);
        }

        await first.DisposeAsync();

        await using var next = await Wait.UntilAsync(() => TryOpenServedAsync(gateway), "a place to free up after the first connection closed");
        await next.SendAsync("GET /again HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.Equal("upstream GET /again", (await next.ReadResponseAsync()).BodyText);
    }

    [Fact]
    public async Task ConnectionOverTheTotalCapIs503AndClosed()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(
            Configs.CatchAll(upstream.Url), s => s with { Transport = s.Transport with { MaxConnections = 2 } });
        await using var first = await OpenServedAsync(gateway);
        await using var second = await OpenServedAsync(gateway);

        await using var third = await gateway.ConnectAsync();
        var refused = await third.ReadResponseAsync();

        Problem.AssertIs(503, refused);
        Assert.True(refused.ConnectionHas("close"));
        Assert.True(await third.WaitForCloseAsync(), "the gateway should close a refused connection");
        Assert.Equal(2, upstream.Arrivals);
    }

    /// <summary>Opens a connection and has one request served on it, so the gateway has surely counted it.</summary>
    private static async Task<RawConnection> OpenServedAsync(TestGateway gateway) =>
        await TryOpenServedAsync(gateway) ?? throw new InvalidOperationException("The gateway refused a connection under its cap.");

    /// <summary>A connection on which one request was served, or null when the gateway refused it.</summary>
    private static async Task<RawConnection?> TryOpenServedAsync(TestGateway gateway)
    {
        var connection = await gateway.ConnectAsync();
        try
        {
            await connection.SendAsync("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
            var response = await connection.ReadResponseAsync();
            if (response.Status == 200)
            {
                return connection;
            }
        }
        catch (IOException)
        {
            // Refused and reset before the answer could be read: try again.
        }

        await connection.DisposeAsync();
        return null;
    }
}
