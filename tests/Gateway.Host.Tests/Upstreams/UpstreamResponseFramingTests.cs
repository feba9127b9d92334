using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Upstreams;

/// <summary>
/// The response side of the edge: an upstream response the gateway could frame two ways is a 502 and never reaches the
/// client; valid framings (length, chunked, until close, bodiless) are relayed with the gateway's own framing.
/// </summary>
public sealed class UpstreamResponseFramingTests
{
    private const string Get = "GET /x HTTP/1.1\r\nHost: a\r\n\r\n";

    public static TheoryData<string> AmbiguousResponses =>
    [
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
        "HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\nhello",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: identity\r\n\r\nhello",
        "HTTP/1.1 200 OK\r\nX-Folded: a\r\n b\r\nContent-Length: 5\r\n\r\nhello",
        "HTTP/1.1 200 OK\nContent-Length: 5\n\nhello",
        "HTTP/1.1 200 OK\r\nX-Evil: a\rInjected: b\r\nContent-Length: 5\r\n\r\nhello",
        "HTTP/1.1 200 OK\r\nBad Name: x\r\nContent-Length: 5\r\n\r\nhello",
        "HTTP/1.1 OK\r\nContent-Length: 5\r\n\r\nhello",
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
    ];

    [Theory]
    [MemberData(nameof(AmbiguousResponses))]
    public async Task AmbiguousOrMalformedResponseIs502AndNeverRelayed(string upstreamResponse)
    {
        await using var upstream = WireUpstream.Start(upstreamResponse);
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));

        var response = await gateway.SendAsync(Get);

        var detail = Problem.AssertIs(502, response);
        Assert.StartsWith("The upstream's response was refused: ", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("hello", response.BodyText, StringComparison.Ordinal);
        Assert.Null(response.Header("Injected"));
    }

    [Fact]
    public async Task MalformedChunkingAfterTheHeadCutsTheClientConnection()
    {
        await using var upstream = WireUpstream.Start(new WireReply("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\n", HangUp: true));
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));
        await using var connection = await gateway.ConnectAsync();

        await connection.SendAsync(Get);

        await Assert.ThrowsAnyAsync<IOException>(() => connection.ReadResponseAsync());
    }

    [Fact]
    public async Task InterimResponsesAreConsumedAndTheFinalOneRelayed()
    {
        await using var upstream = WireUpstream.Start("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));

        var response = await gateway.SendAsync(Get);

        Assert.Equal(200, response.Status);
        Assert.Equal("ok", response.BodyText);
    }

    [Fact]
    public async Task BodyUntilCloseIsRechunkedForTheClient()
    {
        await using var upstream = WireUpstream.Start(new WireReply("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nstreamed to the end", HangUp: true));
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));

        var response = await gateway.SendAsync(Get);

        Assert.Equal(200, response.Status);
        Assert.Equal(BodyFraming.Chunked, response.Framing);
        Assert.Equal("streamed to the end", response.BodyText);
    }

    [Fact]
    public async Task ChunkedBodyIsRelayedWithoutExtensionsOrTrailers()
    {
        await using var upstream = WireUpstream.Start("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n");
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));

        var response = await gateway.SendAsync(Get);

        Assert.Equal(BodyFraming.Chunked, response.Framing);
        Assert.Equal("hello world", response.BodyText);
        Assert.Null(response.Header("X-Trailer"));
    }

    [Fact]
    public async Task HeadAnswerKeepsItsLengthButCarriesNoBody()
    {
        await using var upstream = WireUpstream.Start(request => new WireReply(request.Head.StartsWith("HEAD", StringComparison.Ordinal)
            ? "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n"
            : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));
        await using var connection = await gateway.ConnectAsync();

        await connection.SendAsync("HEAD /x HTTP/1.1\r\nHost: a\r\n\r\n");
        var head = await connection.ReadResponseAsync(bodyless: true);
        await connection.SendAsync(Get);
        var next = await connection.ReadResponseAsync();

        Assert.Equal("1234", head.Header("Content-Length"));
        Assert.Equal("ok", next.BodyText);
        Assert.Single(upstream.Requests, r => r.Head.StartsWith("HEAD", StringComparison.Ordinal));
    }
}
