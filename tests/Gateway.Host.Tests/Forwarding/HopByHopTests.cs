using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Forwarding;

/// <summary>
/// Hop-by-hop fields, every field a Connection header names, proxy credentials and challenges, and the Trailer field (trailers
/// are never forwarded) stop at the gateway in both directions.
/// </summary>
public sealed class HopByHopTests
{
    [Fact]
    public async Task RequestHopByHopFieldsNeverReachTheUpstream()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));

        var response = await gateway.SendAsync(
            "GET /profile HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, X-Secret\r\nX-Secret: 1\r\nKeep-Alive: timeout=5\r\n"
            + "Proxy-Connection: keep-alive\r\nTE: trailers, deflate\r\nUpgrade: websocket\r\nProxy-Authorization: Basic c2VjcmV0\r\n"
            + "Proxy-Authenticate: Basic\r\nTrailer: X-Checksum\r\nX-End-To-End: yes\r\n\r\n");

        Assert.Equal(200, response.Status);
        var seen = Assert.Single(upstream.Requests);
        Assert.Null(seen.Header("X-Secret"));
        Assert.Null(seen.Header("Keep-Alive"));
        Assert.Null(seen.Header("Proxy-Connection"));
        Assert.Null(seen.Header("Upgrade"));
        Assert.Null(seen.Header("Connection"));
        Assert.Null(seen.Header("Proxy-Authorization"));
        Assert.Null(seen.Header("Proxy-Authenticate"));
        Assert.Null(seen.Header("Trailer"));
        Assert.Equal("trailers", seen.Header("TE"));
        Assert.Equal("yes", seen.Header("X-End-To-End"));
    }

    [Fact]
    public async Task FieldsTheUpstreamNamesInItsConnectionHeaderAreNotRelayed()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));

        var direct = await SendDirectAsync(upstream, "GET /hop HTTP/1.1\r\nHost: a\r\n\r\n");
        var response = await gateway.SendAsync("GET /hop HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.True(direct.ConnectionHas("X-Hop-Secret"), "control: the upstream itself sends the hop-by-hop field");
        Assert.Equal("1", direct.Header("X-Hop-Secret"));
        Assert.Equal(200, response.Status);
        Assert.Equal("hop", response.BodyText);
        Assert.Null(response.Header("X-Hop-Secret"));
        Assert.False(response.ConnectionHas("X-Hop-Secret"));
        Assert.Equal("kept", response.Header("X-End-To-End"));
    }

    [Fact]
    public async Task UpstreamHopByHopFieldsOnTheWireAreNotRelayed()
    {
        await using var upstream = WireUpstream.Start(
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: X-Hop-Secret\r\nX-Hop-Secret: 1\r\nKeep-Alive: timeout=5\r\n"
            + "Proxy-Connection: keep-alive\r\nUpgrade: h2c\r\nProxy-Authenticate: Basic realm=\"corp\"\r\nProxy-Authorization: Basic c2VjcmV0\r\n"
            + "Trailer: X-Checksum\r\nX-End-To-End: kept\r\nContent-Length: 2\r\n\r\nok");
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));
        await using var connection = await gateway.ConnectAsync();

        await connection.SendAsync("GET /hop HTTP/1.1\r\nHost: a\r\n\r\n");
        var response = await connection.ReadResponseAsync();
        await connection.SendAsync("GET /again HTTP/1.1\r\nHost: a\r\n\r\n");
        var again = await connection.ReadResponseAsync();

        Assert.Equal(200, response.Status);
        Assert.Equal("ok", response.BodyText);
        Assert.Null(response.Header("X-Hop-Secret"));
        Assert.Null(response.Header("Keep-Alive"));
        Assert.Null(response.Header("Proxy-Connection"));
        Assert.Null(response.Header("Upgrade"));
        Assert.Null(response.Header("Connection"));
        Assert.Null(response.Header("Proxy-Authenticate"));
        Assert.Null(response.Header("Proxy-Authorization"));
        Assert.Null(response.Header("Trailer"));
        Assert.Equal("kept", response.Header("X-End-To-End"));
        Assert.Equal("text/plain", response.Header("Content-Type"));
        Assert.Equal(200, again.Status);
    }

    private static async Task<RawResponse> SendDirectAsync(RecordingUpstream upstream, string request)
    {
        var uri = new Uri(upstream.Url);
        await using var connection = await RawConnection.OpenAsync(new System.Net.IPEndPoint(System.Net.IPAddress.Parse(uri.Host), uri.Port));
        await connection.SendAsync(request);
        return await connection.ReadResponseAsync();
    }
}
