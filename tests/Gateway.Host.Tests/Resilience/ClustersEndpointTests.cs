using System.Text.Json;
using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Resilience;

/// <summary>The admin listener's view of the clusters (GET /clusters) and the resilience metrics, as operators read them.</summary>
public sealed class ClustersEndpointTests
{
    [Fact]
    public async Task EachClusterListsItsDestinationsWithStateAndCounts()
    {
        await using var upstream = await SwitchableUpstream.StartAsync("up");
        var dead = $"http://127.0.0.1:{Ports.Free()}";
        await using var gateway = await TestGateway.StartAsync(Configs.Parse($$"""
            {
              "routes": [ { "id": "all", "match": { "path": "/{*path}" }, "cluster": "c" } ],
              "clusters": { "c": { "destinations": ["{{upstream.Url}}/", "{{dead}}"], "loadBalancing": "First",
                                   "health": { "passive": { "consecutiveFailures": 1, "maxEjectedPercent": 50 } } } }
            }
            """));
        var admin = new AdminClient(gateway.AdminEndPoint);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(200, (await gateway.SendAsync("GET /x HTTP/1.1\r\nHost: a\r\n\r\n")).Status);
        }

        // A request leaves the in-flight count just after its answer is written, so the last one may still be counted for a moment.
        var clusters = default(JsonElement);
        await Wait.UntilAsync(
            async () => InFlight(clusters = await admin.ClustersAsync()) == 0 ? "none in flight" : null, "the requests to leave the in-flight count");
        var destinations = clusters.GetProperty("c").GetProperty("destinations").EnumerateArray().ToList();
        Assert.Equal(2, destinations.Count);
        Assert.Equal(upstream.Url, destinations[0].GetProperty("url").GetString());
        Assert.Equal("healthy", destinations[0].GetProperty("state").GetString());
        Assert.Equal(0, destinations[0].GetProperty("inFlight").GetInt32());
        Assert.Equal(3, destinations[0].GetProperty("requests").GetInt64());
        Assert.Equal(0, destinations[0].GetProperty("failures").GetInt64());
        Assert.Equal(["url", "state", "inFlight", "requests", "failures"], destinations[1].EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task AnEjectionShowsInClustersAndInTheMetrics()
    {
        await using var upstream = await SwitchableUpstream.StartAsync("up");
        var dead = $"http://127.0.0.1:{Ports.Free()}";
        await using var gateway = await TestGateway.StartAsync(Configs.Parse($$"""
            {
              "routes": [ { "id": "all", "match": { "path": "/{*path}" }, "cluster": "c" } ],
              "clusters": { "c": { "destinations": ["{{dead}}", "{{upstream.Url}}"], "loadBalancing": "First",
                                   "health": { "passive": { "consecutiveFailures": 1, "maxEjectedPercent": 50 } } } }
            }
            """));
        var admin = new AdminClient(gateway.AdminEndPoint);

        var response = await gateway.SendAsync("GET /x HTTP/1.1\r\nHost: a\r\n\r\n");
        var dying = await admin.DestinationAsync("c", dead);
        var metrics = await admin.MetricsAsync();

        Assert.Equal(200, response.Status);
        Assert.Equal("ejected", dying.GetProperty("state").GetString());
        Assert.Equal(1, dying.GetProperty("failures").GetInt64());
        Assert.Equal(1, MetricsText.Value(metrics, $"gateway_destination_state{{cluster=\"c\",destination=\"{dead}\",state=\"ejected\"}}"));
        Assert.Equal(0, MetricsText.Value(metrics, $"gateway_destination_state{{cluster=\"c\",destination=\"{dead}\",state=\"healthy\"}}"));
        Assert.Equal(1, MetricsText.Value(metrics, $"gateway_destination_ejections_total{{cluster=\"c\",destination=\"{dead}\"}}"));
        Assert.Equal(1, MetricsText.Value(metrics, "gateway_upstream_retries_total{cluster=\"c\"}"));
        Assert.Equal(1, MetricsText.Value(metrics, "gateway_upstream_errors_total{cluster=\"c\",kind=\"connect\"}"));
    }

    private static int InFlight(JsonElement clusters) =>
        clusters.GetProperty("c").GetProperty("destinations").EnumerateArray().Sum(d => d.GetProperty("inFlight").GetInt32());
}
