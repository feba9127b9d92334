using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Framing;

/// <summary>Requests pipelined in one write are all answered, in order, on the same connection.</summary>
public sealed class PipeliningTests
{
    [Fact]
    public async Task RequestsSentInOneWriteAreAnsweredInOrder()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));
        await using var connection = await gateway.ConnectAsync();

        await connection.SendAsync(
            "GET /p/1 HTTP/1.1\r\nHost: a\r\n\r\n"
            + "POST /p/2 HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\ntwo"
            + "PUT /p/3 HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nthree\r\n0\r\n\r\n"
            + "GET /p/4 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        var responses = new List<RawResponse>();
        for (var i = 0; i < 4; i++)
        {
            responses.Add(await connection.ReadResponseAsync());
        }

        Assert.Equal(["upstream GET /p/1", "upstream POST /p/2", "upstream PUT /p/3", "upstream GET /p/4"], responses.Select(r => r.BodyText));
        Assert.All(responses, r => Assert.Equal(200, r.Status));
        Assert.Equal(["", "two", "three", ""], upstream.Requests.Select(r => r.BodyText));
        Assert.True(responses[^1].ConnectionHas("close"));
        Assert.True(await connection.WaitForCloseAsync(), "the gateway should close after the request that asked for it");
    }

    [Fact]
    public async Task BodyThatLooksLikeARequestIsForwardedAsBodyNotAnswered()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));
        await using var connection = await gateway.ConnectAsync();
        const string Inner = "GET /inner HTTP/1.1\r\nHost: a\r\n\r\n";

        await connection.SendAsync($"GET /outer HTTP/1.1\r\nHost: a\r\nContent-Length: {Inner.Length}\r\n\r\n{Inner}GET /next HTTP/1.1\r\nHost: a\r\n\r\n");
        var outer = await connection.ReadResponseAsync();
        var next = await connection.ReadResponseAsync();

        Assert.Equal("upstream GET /outer", outer.BodyText);
        Assert.Equal("upstream GET /next", next.BodyText);
        Assert.Equal(["/outer", "/next"], upstream.Requests.Select(r => r.Target));
        Assert.Equal(Inner, upstream.Requests[0].BodyText);
    }
}
