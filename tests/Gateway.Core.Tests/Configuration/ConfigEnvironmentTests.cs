using Gateway.Core.Configuration;
using Gateway.Core.Upstreams.LoadBalancing;

namespace Gateway.Core.Tests.Configuration;

/// <summary>Environment overrides of cluster destinations: GATEWAY_CLUSTER_&lt;ID&gt;_DESTINATIONS.</summary>
public sealed class ConfigEnvironmentTests
{
    private static readonly GatewayConfig Config = ConfigLoader.Parse("""
        {
          "routes": [{ "id": "a", "match": { "path": "/" }, "cluster": "users" }],
          "clusters": {
            "users": { "destinations": ["http://10.0.0.5:5001"], "loadBalancing": "Random", "timeout": "5s" },
            "order-api.v2": { "destinations": ["http://10.0.0.7:5002"] }
          }
        }
        """, "test.json");

    [Fact]
    public void DestinationsAreReplacedAndTheRestKept()
    {
        var result = Apply(("GATEWAY_CLUSTER_USERS_DESTINATIONS", " http://127.0.0.1:6001 ; https://127.0.0.1:6002/base;"));

        var users = result.Clusters["users"];
        Assert.Equal([("http://127.0.0.1:6001", 1), ("https://127.0.0.1:6002/base", 1)], users.Destinations.Select(d => (d.Url, d.Weight)));
        Assert.Equal(LoadBalancingMode.Random, users.LoadBalancing.Policy);
        Assert.Equal("5s", users.Timeout);
        Assert.Equal(["http://10.0.0.7:5002"], result.Clusters["order-api.v2"].Destinations.Select(d => d.Url));
        Assert.Equal(Config.Routes, result.Routes);
    }

    [Fact]
    public void WeightedDestinationsBecomeWeightOneAndTheClustersOtherSettingsAreKept()
    {
        var config = ConfigLoader.Parse("""
            {
              "routes": [{ "id": "a", "match": { "path": "/" }, "cluster": "orders" }],
              "clusters": { "orders": {
                "destinations": ["http://10.0.0.7:5002", { "url": "http://10.0.0.8:5002", "weight": 3 }],
                "loadBalancing": { "policy": "ConsistentHash", "key": "Header", "header": "X-User" },
                "health": { "active": { "path": "/healthz" }, "passive": { "failurePercent": 50 } },
                "limits": { "maxRequests": 100 },
                "connections": { "max": 8 } } }
            }
            """, "test.json");
        var env = new Dictionary<string, string> { ["GATEWAY_CLUSTER_ORDERS_DESTINATIONS"] = "http://127.0.0.1:6001;http://127.0.0.1:6002" };

        var orders = ConfigLoader.ApplyEnvironment(config, env.GetValueOrDefault).Clusters["orders"];

        Assert.Equal([("http://127.0.0.1:6001", 1), ("http://127.0.0.1:6002", 1)], orders.Destinations.Select(d => (d.Url, d.Weight)));
        Assert.Equal(config.Clusters["orders"], orders with { Destinations = config.Clusters["orders"].Destinations });
        Assert.Equal(new LoadBalancingConfig { Policy = LoadBalancingMode.ConsistentHash, Key = HashKeyKind.Header, Header = "X-User" }, orders.LoadBalancing);
        Assert.Equal("/healthz", orders.Health?.Active?.Path);
        Assert.Equal(50, orders.Health?.Passive?.FailurePercent);
    }

    [Fact]
    public void TheGivenConfigIsNotChanged()
    {
        var result = Apply(("GATEWAY_CLUSTER_USERS_DESTINATIONS", "http://127.0.0.1:6001"));

        Assert.NotSame(Config, result);
        Assert.NotSame(Config.Routes, result.Routes);
        Assert.Equal(["http://10.0.0.5:5001"], Config.Clusters["users"].Destinations.Select(d => d.Url));
    }

    [Fact]
    public void ClusterNamesBecomeUpperCaseWithUnderscores()
    {
        Assert.Equal("GATEWAY_CLUSTER_ORDER_API_V2_DESTINATIONS", ConfigLoader.DestinationsVariable("order-api.v2"));

        var result = Apply(("GATEWAY_CLUSTER_ORDER_API_V2_DESTINATIONS", "http://127.0.0.1:6003"));

        Assert.Equal(["http://127.0.0.1:6003"], result.Clusters["order-api.v2"].Destinations.Select(d => d.Url));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void BlankVariablesAreIgnored(string value) =>
        Assert.Equal(["http://10.0.0.5:5001"], Apply(("GATEWAY_CLUSTER_USERS_DESTINATIONS", value)).Clusters["users"].Destinations.Select(d => d.Url));

    [Fact]
    public void NoVariablesLeaveTheDestinations() =>
        Assert.Equal(["http://10.0.0.5:5001"], Apply().Clusters["users"].Destinations.Select(d => d.Url));

    [Theory]
    [InlineData("http://127.0.0.1:6001;ftp://h:1", "\"ftp://h:1\" is not an absolute http:// or https:// URL")]
    [InlineData("127.0.0.1:6001", "\"127.0.0.1:6001\" is not an absolute http:// or https:// URL")]
    [InlineData("http://h:1/?q=1", "must not have a query")]
    [InlineData(";;", "expected one or more destination URLs separated by ';'")]
    public void BadUrlsNameTheVariable(string value, string reason)
    {
        var error = ConfigAssert.Fails(() => Apply(("GATEWAY_CLUSTER_USERS_DESTINATIONS", value)), "GATEWAY_CLUSTER_USERS_DESTINATIONS", reason);

        Assert.Equal("environment", error.Origin);
    }

    [Fact]
    public void AVariableForAnUnknownClusterIsRejected()
    {
        var error = ConfigAssert.Fails(() => Apply(("GATEWAY_CLUSTER_USER_DESTINATIONS", "http://127.0.0.1:6001")),
            "GATEWAY_CLUSTER_USER_DESTINATIONS", "no cluster has this variable's name (clusters: \"users\", \"order-api.v2\")");

        Assert.Equal("environment", error.Origin);
    }

    [Fact]
    public void TheQuickStartAloneRefusesAVariableForAnUnknownCluster()
    {
        var env = new Dictionary<string, string?> { ["GATEWAY_CLUSTER_NOPE_DESTINATIONS"] = "http://127.0.0.1:6001" };
        var source = ConfigSource.From(null, "http://127.0.0.1:5000", env.GetValueOrDefault, env.Keys);

        ConfigAssert.Fails(() => source.Load(), "GATEWAY_CLUSTER_NOPE_DESTINATIONS", "no cluster has this variable's name (clusters: \"upstream\")");
    }

    [Fact]
    public void OtherVariablesAreNotTaken() =>
        Assert.Equal(["http://10.0.0.5:5001"], Apply(("GATEWAY_CLUSTER_USERS_TIMEOUT", "1s"), ("GATEWAY_UPSTREAM", "http://h:1")).Clusters["users"].Destinations.Select(d => d.Url));

    [Fact]
    public void AVariableThatNamesTwoClustersIsRejected()
    {
        var config = ConfigLoader.Parse("""
            {
              "routes": [{ "id": "a", "match": { "path": "/" }, "cluster": "a-b" }],
              "clusters": { "a-b": { "destinations": ["http://h:1"] }, "a_b": { "destinations": ["http://h:2"] } }
            }
            """, "test.json");
        var env = new Dictionary<string, string> { ["GATEWAY_CLUSTER_A_B_DESTINATIONS"] = "http://h:3" };

        ConfigAssert.Fails(() => ConfigLoader.ApplyEnvironment(config, env.GetValueOrDefault), "GATEWAY_CLUSTER_A_B_DESTINATIONS",
            "names more than one cluster (\"a-b\", \"a_b\")");
    }

    private static GatewayConfig Apply(params (string Name, string Value)[] variables)
    {
        var env = variables.ToDictionary(v => v.Name, v => v.Value);
        return ConfigLoader.ApplyEnvironment(Config, env.GetValueOrDefault, env.Keys);
    }
}
