using System.Globalization;
using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Observability;

/// <summary>After real traffic, the admin listener's /metrics shows the counters and histograms moved as they should.</summary>
public sealed class MetricsTests
{
    [Fact]
    public async Task RequestsLatenciesConnectionsAndBytesAreCounted()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.Parse($$"""
            {
              "routes": [ { "id": "users", "match": { "path": "/users/{id}" }, "cluster": "main" } ],
              "clusters": { "main": { "destinations": [ "{{upstream.Url}}" ] } }
            }
            """));

        await using (var connection = await gateway.ConnectAsync())
        {
            await connection.SendAsync("GET /users/1 HTTP/1.1\r\nHost: a\r\n\r\nGET /users/2 HTTP/1.1\r\nHost: a\r\n\r\n");
            Assert.Equal(200, (await connection.ReadResponseAsync()).Status);
            Assert.Equal(200, (await connection.ReadResponseAsync()).Status);
        }

        Assert.Equal(404, (await gateway.SendAsync("GET /nowhere HTTP/1.1\r\nHost: a\r\n\r\n")).Status);
        Assert.Equal(400, (await gateway.SendAsync("GET / HTTP/1.1\r\nHost: a\r\nBad Name: x\r\n\r\n")).Status);

        var text = await Wait.UntilAsync(
            async () =>
            {
                var scraped = await ScrapeAsync(gateway);
                return MetricsText.Value(scraped, "gateway_connections_closed_total") >= 3 ? scraped : null;
            },
            "all three connections to be counted as closed");
        Assert.Equal(2, MetricsText.Value(text, "gateway_requests_total{route=\"users\",method=\"GET\",code=\"2xx\"}"));
        // The 404 and the malformed request's 400: a refused request is counted under the method its request line named.
        Assert.Equal(2, MetricsText.Value(text, "gateway_requests_total{route=\"none\",method=\"GET\",code=\"4xx\"}"));
        Assert.Equal(2, MetricsText.Value(text, "gateway_request_duration_seconds_count{route=\"users\"}"));
        Assert.Equal(2, MetricsText.Value(text, "gateway_upstream_response_seconds_count{route=\"users\"}"));
        Assert.True(MetricsText.Value(text, "gateway_upstream_response_seconds_sum{route=\"users\"}") > 0);
        Assert.Equal(3, MetricsText.Value(text, "gateway_connections_accepted_total"));
        Assert.Equal(0, MetricsText.Value(text, "gateway_connections_open"));
        Assert.Equal(0, MetricsText.Value(text, "gateway_requests_in_flight"));
        Assert.True(MetricsText.Value(text, "gateway_received_bytes_total") > 100);
        Assert.True(MetricsText.Value(text, "gateway_sent_bytes_total") > 100);
    }

    [Fact]
    public async Task TheProcessMemoryAndGarbageCollectorAreShown()
    {
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll($"http://127.0.0.1:{Ports.Free()}"));

        var text = await ScrapeAsync(gateway);
        Assert.True(MetricsText.Value(text, "process_working_set_bytes") > 1 << 20);
        Assert.True(MetricsText.Value(text, "process_cpu_seconds_total") > 0);
        Assert.True(MetricsText.Value(text, "dotnet_gc_committed_bytes") > 0);
        Assert.True(MetricsText.Value(text, "dotnet_gc_heap_size_bytes") >= 0);
    }

    [Fact]
    public async Task UpstreamErrorsAreCountedByClusterAndKind()
    {
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll($"http://127.0.0.1:{Ports.Free()}"));

        Assert.Equal(502, (await gateway.SendAsync("GET /x HTTP/1.1\r\nHost: a\r\n\r\n")).Status);

        var text = await ScrapeAsync(gateway);
        Assert.Equal(1, MetricsText.Value(text, "gateway_upstream_errors_total{cluster=\"main\",kind=\"connect\"}"));
        Assert.Equal(1, MetricsText.Value(text, "gateway_requests_total{route=\"all\",method=\"GET\",code=\"5xx\"}"));
    }

    [Fact]
    public async Task EveryMetricTheDashboardUsesIsExported()
    {
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll($"http://127.0.0.1:{Ports.Free()}"));
        var dashboard = await File.ReadAllTextAsync(Gateway.Core.Tests.Configuration.RepositoryRoot.File("ops/grafana-dashboard.json"));

        var text = await ScrapeAsync(gateway);

        var used = System.Text.RegularExpressions.Regex.Matches(dashboard, "gateway_[a-z_]+")
            .Select(m => System.Text.RegularExpressions.Regex.Replace(m.Value, "_(bucket|sum|count)$", ""))
            .Distinct()
            .ToList();
        Assert.NotEmpty(used);
        Assert.All(used, name => Assert.Contains($"# TYPE {name} ", text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RefusedConnectionsAreCountedByLimit()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(
            Configs.CatchAll(upstream.Url), s => s with { Transport = s.Transport with { MaxConnectionsPerClient = 1 } });
        await using var served = await gateway.ConnectAsync();
        await served.SendAsync("GET /x HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.Equal(200, (await served.ReadResponseAsync()).Status);

        await using (var refused = await gateway.ConnectAsync())
        {
            Assert.Equal(503, (await refused.ReadResponseAsync()).Status);
        }

        var text = await ScrapeAsync(gateway);
        Assert.Equal(1, MetricsText.Value(text, "gateway_connections_refused_total{limit=\"per_client\"}"));
        Assert.Equal(1, MetricsText.Value(text, "gateway_requests_total{route=\"none\",method=\"OTHER\",code=\"5xx\"}"));
    }

    private static async Task<string> ScrapeAsync(TestGateway gateway)
    {
        using var client = new HttpClient();
        var response = await client.GetAsync(new Uri($"http://{gateway.AdminEndPoint}/metrics"));
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync();
    }
}
