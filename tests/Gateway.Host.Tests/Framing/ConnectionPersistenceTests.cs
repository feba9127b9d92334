using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Framing;

/// <summary>Connections persist by default on HTTP/1.1, close when the client asks, and close when idle past the keep-alive timeout.</summary>
public sealed class ConnectionPersistenceTests
{
    [Fact]
    public async Task SeveralRequestsShareOneConnection()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));
        await using var connection = await gateway.ConnectAsync();
        var responses = new List<RawResponse>();

        for (var i = 1; i <= 5; i++)
        {
            var request = i == 3
                ? "POST /k/3 HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nthree"
                : $"GET /k/{i} HTTP/1.1\r\nHost: a\r\n\r\n";
            await connection.SendAsync(request);
            responses.Add(await connection.ReadResponseAsync());
        }

        Assert.All(responses, r => Assert.Equal(200, r.Status));
        Assert.All(responses, r => Assert.False(r.ConnectionHas("close")));
        Assert.Equal(["/k/1", "/k/2", "/k/3", "/k/4", "/k/5"], upstream.Requests.Select(r => r.Target));
        Assert.Equal("three", upstream.Requests[2].BodyText);
    }

    [Fact]
    public async Task ConnectionCloseFromTheClientIsAnsweredAndHonoured()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));
        await using var connection = await gateway.ConnectAsync();

        await connection.SendAsync("GET /bye HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        var response = await connection.ReadResponseAsync();

        Assert.Equal(200, response.Status);
        Assert.True(response.ConnectionHas("close"));
        Assert.True(await connection.WaitForCloseAsync(), "the gateway should close the connection");
    }

    [Fact]
    public async Task IdleKeepAliveConnectionIsClosedSilentlyAfterTheTimeout()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url), l => l with { KeepAliveTimeout = TimeSpan.FromSeconds(1) });
        await using var connection = await gateway.ConnectAsync();

        await connection.SendAsync("GET /once HTTP/1.1\r\nHost: a\r\n\r\n");
        var response = await connection.ReadResponseAsync();

        Assert.Equal(200, response.Status);
        Assert.True(await connection.WaitForCloseAsync(), "the idle connection should be closed without any further bytes");
    }
}
