using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Upstreams;

/// <summary>
/// The upstream connection pool: clean exchanges reuse one connection; a connection the upstream asked to close, or one
/// that sent bytes past its response (with it or later, while idle), is never reused; a request is sent twice only when
/// that cannot do harm.
/// </summary>
public sealed class UpstreamConnectionReuseTests
{
    private const string Ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    [Fact]
    public async Task SequentialRequestsShareOneUpstreamConnection()
    {
        await using var upstream = WireUpstream.Start(Ok);
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));
        var admin = new AdminClient(gateway.AdminEndPoint);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(200, (await gateway.SendAsync($"GET /{i} HTTP/1.1\r\nHost: a\r\n\r\n")).Status);

            // The client may have its answer a moment before the exchange frees the connection: the next request waits for that.
            await Wait.UntilAsync(async () => (await admin.DestinationAsync("main", upstream.Url)).GetProperty("inFlight").GetInt32() == 0 ? "" : null, "the exchange to end");
        }

        Assert.Equal(1, upstream.Connections);
        Assert.Equal(5, upstream.Requests.Count);
    }

    [Fact]
    public async Task UpstreamThatAsksToCloseGetsANewConnectionNextTime()
    {
        await using var upstream = WireUpstream.Start(new WireReply("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok", HangUp: true));
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));

        var first = await gateway.SendAsync("GET /1 HTTP/1.1\r\nHost: a\r\n\r\n");
        var second = await gateway.SendAsync("GET /2 HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.Equal([200, 200], [first.Status, second.Status]);
        Assert.Null(first.Header("Connection"));
        Assert.Equal(2, upstream.Connections);
    }

    [Fact]
    public async Task BytesPastTheResponseKeepTheConnectionOutOfThePool()
    {
        await using var upstream = WireUpstream.Start(Ok + "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nspoof!");
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));

        var first = await gateway.SendAsync("GET /1 HTTP/1.1\r\nHost: a\r\n\r\n");
        var second = await gateway.SendAsync("GET /2 HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.Equal(["ok", "ok"], [first.BodyText, second.BodyText]);
        Assert.Equal(2, upstream.Connections);
    }

    [Fact]
    public async Task IdleConnectionIsClosedAtOnceWhenTheUpstreamSendsUnaskedBytes()
    {
        var spoof = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var replies = 0;
        await using var upstream = WireUpstream.Start(_ =>
            Interlocked.Increment(ref replies) == 1 ? new WireReply(Ok, ThenUnasked: spoof.Task) : new WireReply(Ok));
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));

        var first = await gateway.SendAsync("GET /1 HTTP/1.1\r\nHost: a\r\n\r\n");
        spoof.SetResult("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nspoof!");
        await Wait.UntilAsync(() => upstream.ClosedByGateway == 1, "the gateway to close the idle connection that sent unasked bytes");
        var second = await gateway.SendAsync("GET /2 HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.Equal(["ok", "ok"], [first.BodyText, second.BodyText]);
        Assert.Equal(2, upstream.Connections);
    }

    [Fact]
    public async Task IdempotentRequestSurvivesAnIdleConnectionTheUpstreamClosed()
    {
        await using var upstream = WireUpstream.Start(new WireReply(Ok, HangUp: true));
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));

        var first = await gateway.SendAsync("GET /1 HTTP/1.1\r\nHost: a\r\n\r\n");
        await Wait.UntilAsync(() => upstream.Requests.Count == 1, "the upstream to take the first request");
        var second = await gateway.SendAsync("GET /2 HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.Equal([200, 200], [first.Status, second.Status]);
        Assert.Equal(2, upstream.Requests.Count);
    }

    [Fact]
    public async Task IdempotentRequestSurvivesAReusedConnectionTheUpstreamResets()
    {
        var replies = 0;
        await using var upstream = WireUpstream.Start(_ => Interlocked.Increment(ref replies) == 2 ? new WireReply("", Reset: true) : new WireReply(Ok));
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));
        var admin = new AdminClient(gateway.AdminEndPoint);

        var first = await gateway.SendAsync("GET /1 HTTP/1.1\r\nHost: a\r\n\r\n");
        await Wait.UntilAsync(async () => (await admin.DestinationAsync("main", upstream.Url)).GetProperty("inFlight").GetInt32() == 0 ? "" : null, "the exchange to end");
        var second = await gateway.SendAsync("GET /2 HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.Equal([200, 200], [first.Status, second.Status]);
        Assert.Equal(3, upstream.Requests.Count);
        Assert.Equal(2, upstream.Connections);
    }

    [Fact]
    public async Task PostIsNeverSentTwiceWhenTheUpstreamHangsUp()
    {
        await using var upstream = WireUpstream.Start(response: null);
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));

        var response = await gateway.SendAsync("POST /once HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n");

        Problem.AssertIs(502, response);
        Assert.Single(upstream.Requests);
    }
}
