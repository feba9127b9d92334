using Gateway.Core.Configuration;
using Gateway.Core.Upstreams.LoadBalancing;

namespace Gateway.Core.Tests.Configuration;

/// <summary>Reading the upstream-resilience settings: the issue's example, both forms of destinations and of loadBalancing, and the defaults.</summary>
public sealed class UpstreamConfigTests
{
    private const string IssueExample = """
        {
          "clusters": { "orders": {
            "destinations": ["http://10.0.0.7:5002", { "url": "http://10.0.0.8:5002", "weight": 3 }],
            "loadBalancing": "PowerOfTwoChoices",
            "health": {
              "active":  { "path": "/healthz", "interval": "5s", "timeout": "1s", "healthyAfter": 2, "unhealthyAfter": 2 },
              "passive": { "consecutiveFailures": 5, "ejectionTime": "30s", "maxEjectedPercent": 50 } },
            "limits": { "maxPendingRequests": 1000, "maxRequests": 1024 },
            "retryBudget": { "percent": 20, "minConcurrency": 3 },
            "connections": { "max": 256, "idleTimeout": "60s", "lifetime": "5m" },
            "tls": { "ca": "certs/internal-ca.pem", "sni": "orders.internal", "clientCert": "certs/gw.pem", "clientKey": "certs/gw.key" } } },
          "routes": [ { "id": "orders", "match": { "path": "/orders/{id}" }, "cluster": "orders", "timeout": "10s",
            "retry": { "attempts": 3, "on": ["connect", "reset", "502", "503", "504"], "perTryTimeout": "1s", "backoff": "25ms",
                       "idempotencyKey": true, "maxBodyBytes": 65536 } } ]
        }
        """;

    [Fact]
    public void TheIssueExampleLandsInTheModel()
    {
        var config = ConfigLoader.Parse(IssueExample, "test.json");

        var orders = config.Clusters["orders"];
        Assert.Equal([new DestinationConfig { Url = "http://10.0.0.7:5002", Weight = 1 }, new DestinationConfig { Url = "http://10.0.0.8:5002", Weight = 3 }], orders.Destinations);
        Assert.Equal(new LoadBalancingConfig { Policy = LoadBalancingMode.PowerOfTwoChoices }, orders.LoadBalancing);
        Assert.Equal(new ActiveHealthConfig { Path = "/healthz", Interval = "5s", Timeout = "1s", HealthyAfter = 2, UnhealthyAfter = 2, ExpectedStatus = "200-399" }, orders.Health?.Active);
        var passive = orders.Health?.Passive;
        Assert.NotNull(passive);
        Assert.Equal((5, "30s", 50), (passive.ConsecutiveFailures, passive.EjectionTime, passive.MaxEjectedPercent));
        Assert.Equal((0, "10s", 10), (passive.FailurePercent, passive.Window, passive.MinRequests));
        Assert.Equal([502, 503, 504], passive.FailureStatuses);
        Assert.Equal(new ClusterLimitsConfig { MaxPendingRequests = 1000, MaxRequests = 1024 }, orders.Limits);
        Assert.Equal(new RetryBudgetConfig { Percent = 20, MinConcurrency = 3 }, orders.RetryBudget);
        Assert.Equal(new ConnectionsConfig { Max = 256, IdleTimeout = "60s", Lifetime = "5m" }, orders.Connections);
        Assert.Equal(new UpstreamTlsConfig { Ca = "certs/internal-ca.pem", Sni = "orders.internal", ClientCert = "certs/gw.pem", ClientKey = "certs/gw.key" }, orders.Tls);
        Assert.Null(orders.Timeout);

        var route = Assert.Single(config.Routes);
        Assert.Equal("10s", route.Timeout);
        var retry = route.Retry;
        Assert.NotNull(retry);
        Assert.Equal(3, retry.Attempts);
        Assert.Equal(["connect", "reset", "502", "503", "504"], retry.On);
        Assert.Equal(("1s", "25ms", true, 65536), (retry.PerTryTimeout, retry.Backoff, retry.IdempotencyKey, retry.MaxBodyBytes));
    }

    [Fact]
    public void TheOtherHealthSettingsLandInTheModel()
    {
        var config = ConfigLoader.Parse(Cluster("""
            { "destinations": ["http://h:1"], "health": {
                "active": { "path": "/ready", "expectedStatus": "204" },
                "passive": { "consecutiveFailures": 0, "failurePercent": 50, "window": "1m", "minRequests": 20, "failureStatuses": [500, 503] } } }
            """), "test.json");

        var health = config.Clusters["c"].Health;
        Assert.Equal(new ActiveHealthConfig { Path = "/ready", ExpectedStatus = "204" }, health?.Active);
        var passive = health?.Passive;
        Assert.NotNull(passive);
        Assert.Equal((0, 50, "1m", 20), (passive.ConsecutiveFailures, passive.FailurePercent, passive.Window, passive.MinRequests));
        Assert.Equal([500, 503], passive.FailureStatuses);
    }

    [Fact]
    public void LeftOutSettingsAreAbsentOrTheirDefaults()
    {
        var config = ConfigLoader.Parse(Cluster("""{ "destinations": ["http://h:1"] }""", route: """ "retry": {} """), "test.json");

        var cluster = config.Clusters["c"];
        Assert.Equal(1, Assert.Single(cluster.Destinations).Weight);
        Assert.Equal(new LoadBalancingConfig { Policy = LoadBalancingMode.RoundRobin }, cluster.LoadBalancing);
        Assert.Null(cluster.Health);
        Assert.Null(cluster.Limits);
        Assert.Null(cluster.RetryBudget);
        Assert.Null(cluster.Connections);
        Assert.Null(cluster.Tls);
        Assert.Null(config.Routes[0].Timeout);
        var retry = config.Routes[0].Retry;
        Assert.NotNull(retry);
        Assert.Equal((2, null, "25ms", false, 65536), (retry.Attempts, retry.PerTryTimeout, retry.Backoff, retry.IdempotencyKey, retry.MaxBodyBytes));
        Assert.Equal(["connect", "reset", "timeout", "502", "503", "504"], retry.On);
    }

    [Fact]
    public void DestinationsMixUrlsAndWeightedObjects()
    {
        var config = ConfigLoader.Parse(Cluster("""
            { "destinations": [{ "url": "http://h:1" }, "http://h:2/base", { "url": "https://h:3", "weight": 1000 }] }
            """), "test.json");

        Assert.Equal([("http://h:1", 1), ("http://h:2/base", 1), ("https://h:3", 1000)], config.Clusters["c"].Destinations.Select(d => (d.Url, d.Weight)));
    }

    [Theory]
    [InlineData("\"LeastRequests\"", LoadBalancingMode.LeastRequests)]
    [InlineData("\"leastrequests\"", LoadBalancingMode.LeastRequests)]
    [InlineData("\"ROUNDROBIN\"", LoadBalancingMode.RoundRobin)]
    [InlineData("""{ "policy": "First" }""", LoadBalancingMode.First)]
    [InlineData("""{ "policy": "powerOfTwoChoices" }""", LoadBalancingMode.PowerOfTwoChoices)]
    [InlineData("{}", LoadBalancingMode.RoundRobin)]
    public void LoadBalancingIsANameOrAnObjectInAnyCase(string written, LoadBalancingMode expected)
    {
        var config = ConfigLoader.Parse(Cluster($$"""{ "destinations": ["http://h:1"], "loadBalancing": {{written}} }"""), "test.json");

        Assert.Equal(new LoadBalancingConfig { Policy = expected }, config.Clusters["c"].LoadBalancing);
    }

    [Theory]
    [InlineData("""{ "policy": "ConsistentHash", "key": "Header", "header": "X-User" }""", HashKeyKind.Header, "X-User", null)]
    [InlineData("""{ "policy": "consistenthash", "key": "cookie", "cookie": "session" }""", HashKeyKind.Cookie, null, "session")]
    [InlineData("""{ "policy": "ConsistentHash", "key": "ClientIp" }""", HashKeyKind.ClientIp, null, null)]
    public void ConsistentHashingNamesItsKey(string written, HashKeyKind key, string? header, string? cookie)
    {
        var config = ConfigLoader.Parse(Cluster($$"""{ "destinations": ["http://h:1"], "loadBalancing": {{written}} }"""), "test.json");

        Assert.Equal(new LoadBalancingConfig { Policy = LoadBalancingMode.ConsistentHash, Key = key, Header = header, Cookie = cookie }, config.Clusters["c"].LoadBalancing);
    }

    [Theory]
    [InlineData("""{ "destinations": [{ "url": "http://h:1", "weight": "3" }] }""", "$.clusters.c.destinations[0].weight", "expected an integer")]
    [InlineData("""{ "destinations": ["http://h:1", { "url": "http://h:2", "wieght": 3 }] }""", "$.clusters.c.destinations[1].wieght", "unknown property \"wieght\" (expected one of \"url\", \"weight\")")]
    [InlineData("""{ "destinations": [{ "url": null }] }""", "$.clusters.c.destinations[0].url", "expected a string")]
    [InlineData("""{ "destinations": [{ "weight": 2 }] }""", "$.clusters.c.destinations[0]", "a destination URL must not be empty")]
    [InlineData("""{ "destinations": [null] }""", "$.clusters.c.destinations[0]", "expected a destination URL or { \"url\", \"weight\" }")]
    [InlineData("""{ "destinations": "http://h:1" }""", "$.clusters.c.destinations", "expected an array of destination URLs or { \"url\", \"weight\" } objects")]
    [InlineData("""{ "destinations": ["http://h:1"], "loadBalancing": { "policy": "Sticky" } }""", "$.clusters.c.loadBalancing.policy", "expected one of \"RoundRobin\", \"PowerOfTwoChoices\"")]
    [InlineData("""{ "destinations": ["http://h:1"], "loadBalancing": { "polcy": "Random" } }""", "$.clusters.c.loadBalancing.polcy", "unknown property \"polcy\" (expected one of \"policy\", \"key\", \"header\", \"cookie\")")]
    [InlineData("""{ "destinations": ["http://h:1"], "loadBalancing": null }""", "$.clusters.c.loadBalancing", "expected an object")]
    [InlineData("""{ "destinations": ["http://h:1"], "health": { "passive": { "failureStatuses": ["503"] } } }""", "$.clusters.c.health.passive.failureStatuses[0]", "expected an integer")]
    public void MisshapenValuesAreReportedWhereTheyAre(string cluster, string path, string reason) =>
        ConfigAssert.ParseFails(Cluster(cluster), path, reason);

    private static string Cluster(string cluster, string route = "") => $$"""
        { "routes": [{ "id": "a", "match": { "path": "/" }, "cluster": "c"{{(route.Length > 0 ? ", " + route : "")}} }], "clusters": { "c": {{cluster}} } }
        """;
}
