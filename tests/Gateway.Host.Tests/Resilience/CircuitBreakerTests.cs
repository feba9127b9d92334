using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Resilience;

/// <summary>A cluster's caps: past its requests in flight, or past its requests waiting for a connection, a request is answered 503 at once and never queued.</summary>
public sealed class CircuitBreakerTests
{
    [Fact]
    public async Task ARequestPastTheCapOnRequestsInFlightIsAnswered503AtOnce()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Config(upstream.Url, """ "limits": { "maxRequests": 2 } """));
        var held = await HoldAsync(gateway, 2);
        await Wait.UntilAsync(() => upstream.Holding == 2, "two requests to be held upstream");

        var refused = await gateway.SendAsync("GET /hold HTTP/1.1\r\nHost: a\r\n\r\n");
        upstream.ReleaseHeld();

        Assert.Equal(503, refused.Status);
        Assert.Contains("too many requests in flight", refused.BodyText, StringComparison.Ordinal);
        Assert.All(await Task.WhenAll(held.Select(c => c.ReadResponseAsync())), response => Assert.Equal(200, response.Status));
        Assert.Equal(2, upstream.Arrivals);
        Assert.Equal(1, MetricsText.Value(await new AdminClient(gateway.AdminEndPoint).MetricsAsync(), "gateway_upstream_overflow_total{cluster=\"c\",limit=\"requests\"}"));
    }

    [Fact]
    public async Task ARequestPastTheCapOnRequestsWaitingForAConnectionIsAnswered503AtOnce()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Config(upstream.Url, """ "connections": { "max": 1 }, "limits": { "maxPendingRequests": 1 } """));
        var first = await HoldAsync(gateway, 1);
        await Wait.UntilAsync(() => upstream.Holding == 1, "the first request to hold the only connection");
        var waiting = await HoldAsync(gateway, 1);

        await Wait.UntilAsync(() => gateway.Server.Engine.Snapshot.Clusters["c"].Pending.Count == 1, "the second request to wait for the connection");

        var refused = await gateway.SendAsync("GET /hold HTTP/1.1\r\nHost: a\r\n\r\n");
        upstream.ReleaseHeld();

        Assert.Equal(503, refused.Status);
        Assert.Contains("waiting for a connection", refused.BodyText, StringComparison.Ordinal);
        Assert.Equal(200, (await first[0].ReadResponseAsync()).Status);
        Assert.Equal(200, (await waiting[0].ReadResponseAsync()).Status);
    }

    private static async Task<List<RawConnection>> HoldAsync(TestGateway gateway, int count)
    {
        var connections = new List<RawConnection>();
        for (var i = 0; i < count; i++)
        {
            var connection = await gateway.ConnectAsync();
            await connection.SendAsync("GET /hold HTTP/1.1\r\nHost: a\r\n\r\n");
            connections.Add(connection);
        }

        return connections;
    }

    private static Gateway.Core.Configuration.GatewayConfig Config(string destination, string settings) => Configs.Parse($$"""
        {
          "routes": [ { "id": "all", "match": { "path": "/{*path}" }, "cluster": "c" } ],
          "clusters": { "c": { "destinations": ["{{destination}}"], {{settings}} } }
        }
        """);
}
