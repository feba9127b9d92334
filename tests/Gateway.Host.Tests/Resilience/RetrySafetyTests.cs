using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Resilience;

/// <summary>
/// What a retry may send again: never a non-idempotent request that reached an upstream (unless it carries
/// <c>Idempotency-Key</c> and the route opts in), never a body too large to keep; a request a connection could not even be
/// opened for goes to another destination whatever its method; a kept body is sent whole on every try.
/// </summary>
public sealed class RetrySafetyTests
{
    [Fact]
    public async Task APostThatReachedAnUpstreamIsNeverSentTwice()
    {
        await using var first = HangingUp();
        await using var second = WireUpstream.Start("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        await using var gateway = await TestGateway.StartAsync(Config(first.Url, second.Url, """{ "attempts": 3, "on": ["reset", "502"] }"""));

        var response = await gateway.SendAsync("POST /orders HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello");

        Assert.Equal(502, response.Status);
        Assert.Single(first.Requests);
        Assert.Empty(second.Requests);
    }

    [Fact]
    public async Task APostWithAnIdempotencyKeyIsRetriedWhereTheRouteOptsIn()
    {
        await using var first = HangingUp();
        await using var second = WireUpstream.Start("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        await using var gateway = await TestGateway.StartAsync(Config(first.Url, second.Url, """{ "attempts": 2, "on": ["reset"], "idempotencyKey": true }"""));

        var response = await gateway.SendAsync("POST /orders HTTP/1.1\r\nHost: a\r\nIdempotency-Key: 8e03\r\nContent-Length: 5\r\n\r\nhello");

        Assert.Equal(200, response.Status);
        Assert.Equal("hello", System.Text.Encoding.ASCII.GetString(Assert.Single(first.Requests).Body));
        Assert.Equal("hello", System.Text.Encoding.ASCII.GetString(Assert.Single(second.Requests).Body));
    }

    [Fact]
    public async Task APostWhoseConnectionCouldNotBeOpenedGoesToAnotherDestinationWithoutRetryConfiguration()
    {
        var dead = $"http://127.0.0.1:{Ports.Free()}";
        await using var alive = WireUpstream.Start("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n");
        await using var gateway = await TestGateway.StartAsync(Config(dead, alive.Url, retry: null));

        var response = await gateway.SendAsync("POST /orders HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello");

        Assert.Equal(201, response.Status);
        Assert.Equal("hello", System.Text.Encoding.ASCII.GetString(Assert.Single(alive.Requests).Body));
    }

    [Fact]
    public async Task AKeptBodyIsSentWholeOnTheRetryAndALargerOneIsSentOnce()
    {
        await using var first = WireUpstream.Start("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\nbusy");
        await using var second = WireUpstream.Start("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        await using var gateway = await TestGateway.StartAsync(Config(first.Url, second.Url, """{ "attempts": 2, "on": ["503"], "maxBodyBytes": 16 }"""));

        var kept = await gateway.SendAsync("PUT /orders/1 HTTP/1.1\r\nHost: a\r\nContent-Length: 16\r\n\r\n0123456789abcdef");
        var tooLarge = await gateway.SendAsync("PUT /orders/2 HTTP/1.1\r\nHost: a\r\nContent-Length: 17\r\n\r\n0123456789abcdefg");

        Assert.Equal(200, kept.Status);
        Assert.Equal(503, tooLarge.Status);
        Assert.Equal("busy", tooLarge.BodyText);
        Assert.Equal(["0123456789abcdef", "0123456789abcdefg"], first.Requests.Select(r => System.Text.Encoding.ASCII.GetString(r.Body)));
        Assert.Equal("0123456789abcdef", System.Text.Encoding.ASCII.GetString(Assert.Single(second.Requests).Body));
    }

    [Fact]
    public async Task AStatusTheRouteDoesNotRetryIsRelayedAsItIs()
    {
        await using var first = WireUpstream.Start("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\n\r\noops");
        await using var second = WireUpstream.Start("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        await using var gateway = await TestGateway.StartAsync(Config(first.Url, second.Url, """{ "attempts": 3 }"""));

        var response = await gateway.SendAsync("GET /orders HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.Equal(500, response.Status);
        Assert.Equal("oops", response.BodyText);
        Assert.Empty(second.Requests);
    }

    [Fact]
    public async Task AStatusTheRouteRetriesIsRetriedEvenWhenItDoesNotCountAsAFailure()
    {
        await using var first = WireUpstream.Start("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\n\r\noops");
        await using var second = WireUpstream.Start("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        await using var gateway = await TestGateway.StartAsync(Config(first.Url, second.Url, """{ "attempts": 2, "on": ["500"] }"""));

        var response = await gateway.SendAsync("GET /orders HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.Equal(200, response.Status);
        Assert.Single(first.Requests);
    }

    [Fact]
    public async Task ARetriedStatusIsRelayedWhenTheAttemptsRunOut()
    {
        await using var first = WireUpstream.Start("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 5\r\n\r\nfirst");
        await using var second = WireUpstream.Start("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 6\r\n\r\nsecond");
        await using var gateway = await TestGateway.StartAsync(Config(first.Url, second.Url, """{ "attempts": 2, "backoff": "0ms" }"""));

        await using var connection = await gateway.ConnectAsync();
        await connection.SendAsync("GET /orders HTTP/1.1\r\nHost: a\r\n\r\n");
        var response = await connection.ReadResponseAsync();
        await connection.SendAsync("GET /orders HTTP/1.1\r\nHost: a\r\n\r\n");
        var next = await connection.ReadResponseAsync();

        Assert.Equal(503, response.Status);
        Assert.Equal("second", response.BodyText);
        Assert.False(response.ConnectionHas("close"));
        Assert.Equal(503, next.Status);
        Assert.Equal(2, first.Requests.Count);
        Assert.Equal(2, second.Requests.Count);
    }

    [Fact]
    public async Task AClientThatLeavesWhileItsKeptBodyIsReadLeavesNoRequestCountedInFlight()
    {
        await using var first = WireUpstream.Start("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        await using var second = WireUpstream.Start("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        await using var gateway = await TestGateway.StartAsync(Config(first.Url, second.Url, """{ "attempts": 2 }"""));
        var admin = new AdminClient(gateway.AdminEndPoint);

        await using (var leaving = await gateway.ConnectAsync())
        {
            await leaving.SendAsync("PUT /orders/1 HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nhalf");
        }

        await Wait.UntilAsync(async () => (await InFlightAsync(admin)).All(count => count == 0) ? "settled" : null, "no request to be in flight");
        Assert.Equal(200, (await gateway.SendAsync("GET /orders HTTP/1.1\r\nHost: a\r\n\r\n")).Status);
        var inFlight = await InFlightAsync(admin);
        Assert.Equal([0, 0], inFlight);
        Assert.DoesNotContain(first.Requests, request => request.Head.StartsWith("PUT", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\nbusy", 1)]
    [InlineData("HTTP/1.1 503 Service Unavailable\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nbusy\r\n0\r\n\r\n", 2)]
    [InlineData("HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 4\r\n\r\nbusy", 2)]
    public async Task AnAnswerRetriedAwayKeepsItsConnectionOnlyWhenItsWholeBodyHasArrived(string answer, int connections)
    {
        await using var first = WireUpstream.Start(answer);
        await using var second = WireUpstream.Start("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        await using var gateway = await TestGateway.StartAsync(Config(first.Url, second.Url, """{ "attempts": 2, "on": ["503"], "backoff": "0ms" }"""));

        var responses = new[] { await gateway.SendAsync("GET /orders/1 HTTP/1.1\r\nHost: a\r\n\r\n"), await gateway.SendAsync("GET /orders/2 HTTP/1.1\r\nHost: a\r\n\r\n") };

        Assert.All(responses, response => Assert.Equal("ok", response.BodyText));
        Assert.Equal(2, first.Requests.Count);
        Assert.Equal(connections, first.Connections);
    }

    /// <summary>Each destination's requests in flight, as GET /clusters shows them.</summary>
    private static async Task<int[]> InFlightAsync(AdminClient admin) =>
        [.. (await admin.ClustersAsync()).GetProperty("c").GetProperty("destinations").EnumerateArray().Select(d => d.GetProperty("inFlight").GetInt32())];

    /// <summary>An upstream that reads each request, then hangs up before answering: the gateway sees a reset before the response.</summary>
    private static WireUpstream HangingUp() => WireUpstream.Start(response: null);

    private static Gateway.Core.Configuration.GatewayConfig Config(string first, string second, string? retry) => Configs.Parse($$"""
        {
          "routes": [ { "id": "orders", "match": { "path": "/{*path}" }, "cluster": "c"{{(retry is null ? "" : $", \"retry\": {retry}")}} } ],
          "clusters": { "c": { "destinations": ["{{first}}", "{{second}}"], "loadBalancing": "First" } }
        }
        """);
}
