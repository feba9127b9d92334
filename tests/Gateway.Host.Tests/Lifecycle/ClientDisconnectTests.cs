using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Lifecycle;

/// <summary>When the client goes away mid-request, the gateway cancels the upstream request instead of letting it run on.</summary>
public sealed class ClientDisconnectTests
{
    [Fact]
    public async Task ClientClosingWhileWaitingForTheResponseAbortsTheUpstreamRequest()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));
        var connection = await gateway.ConnectAsync();

        await connection.SendAsync("GET /hold HTTP/1.1\r\nHost: a\r\n\r\n");
        await Wait.UntilAsync(() => upstream.Holding == 1, "the upstream to be working on the request");
        connection.Close();

        Assert.Equal("/hold", await Wait.ForAsync(upstream.Aborted, "the upstream to observe the abort"));
        await connection.DisposeAsync();
    }

    [Fact]
    public async Task ClientClosingMidBodyAbortsTheUpstreamRequest()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));
        var connection = await gateway.ConnectAsync();

        await connection.SendAsync("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 1000000\r\n\r\n");
        await connection.SendAsync(Payload.Create(100_000));
        await Wait.UntilAsync(() => upstream.Arrivals == 1, "the upstream to start receiving the body");
        connection.Close();

        Assert.Equal("/upload", await Wait.ForAsync(upstream.Aborted, "the upstream to observe the abort"));
        Assert.Empty(upstream.Requests);
        await connection.DisposeAsync();
    }
}
