using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Resilience;

/// <summary>
/// A whole cluster failing: retries stop at the retry budget (counted at the upstreams, which see each try), every client
/// gets its answer (the upstreams' own 503, or a 502 when nothing can be reached) on a connection that stays open.
/// </summary>
public sealed class OutageTests
{
    private const int Requests = 30;
    private const int Attempts = 5;
    private const int MinConcurrency = 3;

    [Fact]
    public async Task RetriesStopAtTheBudgetWhenEveryDestinationFails()
    {
        await using var one = await SwitchableUpstream.StartAsync("one");
        await using var two = await SwitchableUpstream.StartAsync("two");
        foreach (var upstream in new[] { one, two })
        {
            upstream.Status = 503;

            // Slow enough that the first tries of all requests fail together, while the budget's places are taken.
            upstream.Delay = TimeSpan.FromMilliseconds(300);
        }

        await using var gateway = await TestGateway.StartAsync(Configs.Parse($$"""
            {
              "routes": [ { "id": "all", "match": { "path": "/{*path}" }, "cluster": "c", "retry": { "attempts": {{Attempts}}, "backoff": "0ms" } } ],
              "clusters": { "c": { "destinations": ["{{one.Url}}", "{{two.Url}}"], "retryBudget": { "percent": 0, "minConcurrency": {{MinConcurrency}} },
                                   "health": { "passive": { "consecutiveFailures": 0 } } } }
            }
            """));
        var connections = await Task.WhenAll(Enumerable.Range(0, Requests).Select(_ => gateway.ConnectAsync()));

        var responses = await Task.WhenAll(connections.Select(async (connection, i) =>
        {
            await connection.SendAsync($"GET /outage/{i} HTTP/1.1\r\nHost: a\r\n\r\n");
            return await connection.ReadResponseAsync();
        }));

        var tries = one.Arrived.Count + two.Arrived.Count;
        var refused = await MetricAsync(gateway, "gateway_upstream_retries_refused_total{cluster=\"c\"}");
        foreach (var connection in connections)
        {
            await connection.DisposeAsync();
        }

        Assert.All(responses, response => Assert.Equal(503, response.Status));
        Assert.All(responses, response => Assert.False(response.ConnectionHas("close")));

        // Without a budget every request would be tried 5 times (150 tries). With places for 3 retrying requests, the
        // requests that fail while those are taken are answered at once; allow twice the places for any whose first try
        // ended only after others had finished retrying.
        Assert.InRange(tries, Requests, Requests + (2 * MinConcurrency * (Attempts - 1)));
        Assert.True(refused >= Requests - (2 * MinConcurrency), $"refused retries: {refused}");
    }

    [Fact]
    public async Task EveryDestinationRefusingConnectionsIsA502OnAnOpenConnection()
    {
        await using var gateway = await TestGateway.StartAsync(Configs.Parse($$"""
            {
              "routes": [ { "id": "all", "match": { "path": "/{*path}" }, "cluster": "c" } ],
              "clusters": { "c": { "destinations": ["http://127.0.0.1:{{Ports.Free()}}", "http://127.0.0.1:{{Ports.Free()}}"] } }
            }
            """));
        await using var connection = await gateway.ConnectAsync();

        for (var i = 0; i < 10; i++)
        {
            await connection.SendAsync($"GET /down/{i} HTTP/1.1\r\nHost: a\r\n\r\n");
            var response = await connection.ReadResponseAsync();
            Assert.Equal(502, response.Status);
            Assert.False(response.ConnectionHas("close"));
        }
    }

    private static async Task<double> MetricAsync(TestGateway gateway, string series) =>
        MetricsText.Value(await new AdminClient(gateway.AdminEndPoint).MetricsAsync(), series);
}
