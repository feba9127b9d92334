using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Framing;

/// <summary>HTTP/1.0 clients are answered and closed by default, and kept open when they ask for keep-alive.</summary>
public sealed class Http10Tests
{
    [Fact]
    public async Task Http10RequestIsAnsweredThenClosed()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));
        await using var connection = await gateway.ConnectAsync();

        await connection.SendAsync("GET /legacy HTTP/1.0\r\n\r\n");
        var response = await connection.ReadResponseAsync();

        Assert.Equal(200, response.Status);
        Assert.Equal("upstream GET /legacy", response.BodyText);
        Assert.True(response.ConnectionHas("close"));
        Assert.True(await connection.WaitForCloseAsync(), "an HTTP/1.0 connection without keep-alive should be closed");
        Assert.Equal("1.0 gateway", Assert.Single(upstream.Requests).Header("Via"));
    }

    [Fact]
    public async Task Http10KeepAliveKeepsTheConnectionOpen()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));
        await using var connection = await gateway.ConnectAsync();

        await connection.SendAsync("GET /first HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        var first = await connection.ReadResponseAsync();
        await connection.SendAsync("GET /second HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        var second = await connection.ReadResponseAsync();

        Assert.Equal(200, first.Status);
        Assert.True(first.ConnectionHas("keep-alive"));
        Assert.Equal(BodyFraming.ContentLength, first.Framing);
        Assert.Equal("upstream GET /second", second.BodyText);
        Assert.True(second.ConnectionHas("keep-alive"));
        Assert.Equal(2, upstream.Requests.Count);
    }
}
