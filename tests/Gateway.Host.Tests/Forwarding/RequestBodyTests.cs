using System.Text;
using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Forwarding;

/// <summary>Request bodies reach the upstream byte for byte, whether the client framed them by Content-Length or chunked.</summary>
public sealed class RequestBodyTests
{
    private const string ChunkedBody =
        "4;note=first\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nX-Client-Trailer: evil\r\n\r\n";

    private const string DecodedBody = "Wikipedia in\r\n\r\nchunks.";

    [Fact]
    public async Task ContentLengthBodyArrivesByteExact()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));
        var body = Enumerable.Range(0, 1024).Select(i => (byte)i).ToArray();
        await using var connection = await gateway.ConnectAsync();

        await connection.SendAsync($"POST /upload HTTP/1.1\r\nHost: a\r\nContent-Type: application/octet-stream\r\nContent-Length: {body.Length}\r\n\r\n");
        await connection.SendAsync(body);
        var response = await connection.ReadResponseAsync();

        Assert.Equal(200, response.Status);
        var seen = Assert.Single(upstream.Requests);
        Assert.Equal(body, seen.Body);
        Assert.Equal("1024", seen.Header("Content-Length"));
    }

    [Fact]
    public async Task BodyIsForwardedBeforeTheClientHasSentAllOfIt()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));
        var body = Payload.Create(256 * 1024);
        await using var connection = await gateway.ConnectAsync();

        await connection.SendAsync($"PUT /upload HTTP/1.1\r\nHost: a\r\nContent-Length: {body.Length}\r\n\r\n");
        await connection.SendAsync(body.AsMemory(0, 128 * 1024));
        await Wait.UntilAsync(() => upstream.Arrivals == 1, "the upstream to receive the request while the body is still incomplete");
        await connection.SendAsync(body.AsMemory(128 * 1024));
        var response = await connection.ReadResponseAsync();

        Assert.Equal(200, response.Status);
        Assert.Equal(body, Assert.Single(upstream.Requests).Body);
    }

    [Fact]
    public async Task ChunkedBodyArrivesDecodedWithoutTheClientsTrailers()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));

        var response = await gateway.SendAsync($"POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n{ChunkedBody}");

        Assert.Equal(200, response.Status);
        var seen = Assert.Single(upstream.Requests);
        Assert.Equal(DecodedBody, seen.BodyText);
        Assert.Null(seen.Header("X-Client-Trailer"));
        Assert.Empty(seen.Trailers);
    }

    [Fact]
    public async Task ChunkedBodyIsReframedOnTheUpstreamWire()
    {
        await using var upstream = WireUpstream.Start("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));

        var response = await gateway.SendAsync($"POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n{ChunkedBody}");

        Assert.Equal(200, response.Status);
        Assert.Equal("ok", response.BodyText);
        var wire = Assert.Single(upstream.Requests);
        Assert.Equal(DecodedBody, Encoding.Latin1.GetString(wire.Body));
        Assert.DoesNotContain("note=first", wire.FramedBodyText, StringComparison.Ordinal);
        Assert.DoesNotContain("X-Client-Trailer", wire.FramedBodyText, StringComparison.Ordinal);
        Assert.DoesNotContain("X-Client-Trailer", wire.Head, StringComparison.Ordinal);
        Assert.NotEqual(ChunkedBody, wire.FramedBodyText);
    }

    [Fact]
    public async Task ExpectContinueGetsAnInterimResponseBeforeTheBodyIsSent()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));
        await using var connection = await gateway.ConnectAsync();

        await connection.SendAsync("POST /upload HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
        var interim = await connection.ReadResponseAsync();
        await connection.SendAsync("hello");
        var response = await connection.ReadResponseAsync();

        Assert.Equal(100, interim.Status);
        Assert.Equal(200, response.Status);
        var seen = Assert.Single(upstream.Requests);
        Assert.Equal("hello", seen.BodyText);
        Assert.Null(seen.Header("Expect"));
    }

    [Fact]
    public async Task ExpectContinueWithTheBodyAlreadySentGetsNoInterimResponse()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));
        await using var connection = await gateway.ConnectAsync();

        await connection.SendAsync("POST /upload HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\nhello");
        var response = await connection.ReadResponseAsync();

        Assert.Equal(200, response.Status);
        Assert.Equal("hello", Assert.Single(upstream.Requests).BodyText);
    }
}
