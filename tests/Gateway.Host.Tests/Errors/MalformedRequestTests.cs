using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Errors;

/// <summary>Requests with ambiguous framing (the request smuggling shapes) get 400, the connection closes, and nothing reaches the upstream.</summary>
public sealed class MalformedRequestTests
{
    private const string Smuggled = "GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n";

    [Theory]
    [InlineData("Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nX")]
    [InlineData("Transfer-Encoding: chunked\r\nContent-Length: 6\r\n\r\n8\r\nSMUGGLED\r\n0\r\n\r\n")]
    [InlineData("Content-Length: 1\r\nContent-Length: 0\r\n\r\nX")]
    [InlineData("Content-Length: 5, 6\r\n\r\nhello!")]
    public async Task AmbiguousBodyFramingIs400AndCloses(string framing)
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));
        await using var connection = await gateway.ConnectAsync();

        await connection.SendAsync($"POST /upload HTTP/1.1\r\nHost: a\r\n{framing}{Smuggled}");
        var response = await connection.ReadResponseAsync();

        Problem.AssertIs(400, response);
        Assert.True(response.ConnectionHas("close"));
        Assert.True(await connection.WaitForCloseAsync(), "the gateway should close after a framing error");
        Assert.Equal(0, upstream.Arrivals);
        var fresh = await gateway.SendAsync("GET /fresh HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.Equal(200, fresh.Status);
        Assert.Equal("/fresh", Assert.Single(upstream.Requests).Target);
    }

    [Fact]
    public async Task MalformedChunkedBodyIs400AndNoPartOfItIsAnswered()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));
        await using var connection = await gateway.ConnectAsync();

        await connection.SendAsync($"POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX\r\n0\r\n\r\n{Smuggled}");
        var response = await connection.ReadResponseAsync();

        Problem.AssertIs(400, response);
        Assert.True(await connection.WaitForCloseAsync(), "the gateway should close after a framing error");
        Assert.Empty(upstream.Requests);
    }
}
