using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Forwarding;

/// <summary>Response bodies come back byte for byte, framed by Content-Length when the upstream gave one, else chunked (HTTP/1.1) or by close (HTTP/1.0).</summary>
public sealed class ResponseBodyTests
{
    [Fact]
    public async Task ResponseWithContentLengthKeepsItsLength()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));

        var response = await gateway.SendAsync("GET /bytes/50000 HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.Equal(200, response.Status);
        Assert.Equal(BodyFraming.ContentLength, response.Framing);
        Assert.Equal("50000", response.Header("Content-Length"));
        Assert.Null(response.Header("Transfer-Encoding"));
        Assert.Equal(Payload.Create(50000), response.Body);
    }

    [Fact]
    public async Task StreamedResponseWithoutLengthIsChunkedForHttp11Clients()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));
        await using var connection = await gateway.ConnectAsync();

        await connection.SendAsync("GET /stream/50000 HTTP/1.1\r\nHost: a\r\n\r\n");
        var response = await connection.ReadResponseAsync();
        await connection.SendAsync("GET /after HTTP/1.1\r\nHost: a\r\n\r\n");
        var next = await connection.ReadResponseAsync();

        Assert.Equal(200, response.Status);
        Assert.Equal(BodyFraming.Chunked, response.Framing);
        Assert.Equal("chunked", response.Header("Transfer-Encoding"));
        Assert.Null(response.Header("Content-Length"));
        Assert.Equal(Payload.Create(50000), response.Body);
        Assert.Equal("upstream GET /after", next.BodyText);
    }

    [Fact]
    public async Task StreamedResponseToAnHttp10ClientEndsWithTheConnection()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));
        await using var connection = await gateway.ConnectAsync();

        await connection.SendAsync("GET /stream/50000 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        var response = await connection.ReadResponseAsync();

        Assert.Equal(200, response.Status);
        Assert.Equal(BodyFraming.Close, response.Framing);
        Assert.Null(response.Header("Transfer-Encoding"));
        Assert.Null(response.Header("Content-Length"));
        Assert.True(response.ConnectionHas("close"));
        Assert.Equal(Payload.Create(50000), response.Body);
    }
}
