using Gateway.Core.Configuration;
using Gateway.Core.Snapshots;
using Gateway.Core.Upstreams;

namespace Gateway.Core.Tests.Configuration;

/// <summary>Loading from a file: the repository's demo gateway.json, and files that cannot be read.</summary>
public sealed class DemoConfigTests
{
    [Fact]
    public void TheDemoConfigLoadsAndShowsEachFeature()
    {
        var config = ConfigLoader.LoadFile(RepositoryRoot.File("gateway.json"));

        Assert.Equal(["http://127.0.0.1:5101"], config.Clusters["users"].Destinations.Select(d => d.Url));
        Assert.Equal(["http://127.0.0.1:5102"], config.Clusters["orders"].Destinations.Select(d => d.Url));
        Assert.Equal(LoadBalancingMode.PowerOfTwoChoices, config.Clusters["products"].LoadBalancing.Policy);
        Assert.Equal(2, config.Clusters["products"].Destinations.Count);
        Assert.Contains(config.Routes, r => r.Match.Path == "/users" && r.Match.Methods.SequenceEqual(["POST"]));
        Assert.Contains(config.Routes, r => r.Match.Path == "/users/{id}" && r.Match.Hosts.SequenceEqual(["admin.localhost"]));
        Assert.Contains(config.Routes, r => r.Rewrite?.Path == "/v1/orders/{id}");
        Assert.Contains(config.Routes, r => r.Rewrite?.StripPrefix == "/api");
        Assert.Contains(config.Routes, r => r.Policies?.RateLimit.SequenceEqual(["per-client"]) == true);
        Assert.Contains(config.Routes, r => r.Respond?.Headers.GetValueOrDefault("Location") == "/orders/{rest}");
        Assert.Contains(config.Routes, r => r.Respond?.ContentType == "application/json");
        Assert.Contains(config.Routes, r => r.Transforms?.Response?.Set.ContainsKey("X-Frame-Options") == true);
        Assert.Equal(["http://127.0.0.1:5105", "http://127.0.0.1:5106", "http://127.0.0.1:5107"], config.Clusters["inventory"].Destinations.Select(d => d.Url));
        Assert.Equal("/healthz", config.Clusters["inventory"].Health?.Active?.Path);
        Assert.Contains(config.Routes, r => r.Cluster == "inventory" && r.Timeout == "5s" && r.Retry is { Attempts: 3, IdempotencyKey: true });
        Assert.Equal(["http://localhost:8081"], config.Frontends["mobile"].Listen);
        Assert.Contains(config.Routes, r => r.Frontend == "mobile" && r.Cluster == "users" && r.Rewrite?.Path == "/users/{id}");
    }

    [Fact]
    public void TheDemoConfigCompilesAfterEnvironmentOverridesAndTheQuickStart()
    {
        var file = ConfigLoader.LoadFile(RepositoryRoot.File("gateway.json"));
        var environment = new Dictionary<string, string?> { ["GATEWAY_CLUSTER_ORDERS_DESTINATIONS"] = "http://127.0.0.1:6102" };

        var config = ConfigLoader.ForUpstream("http://127.0.0.1:6000", ConfigLoader.ApplyEnvironment(file, environment.GetValueOrDefault, environment.Keys));
        using var snapshot = SnapshotCompiler.Compile(config, new UpstreamSettings(), "gateway.json");

        Assert.Equal(["http://127.0.0.1:6102"], config.Clusters["orders"].Destinations.Select(d => d.Url));
        Assert.Equal(["per-client"], snapshot.RateLimits.Keys);
        Assert.Contains(snapshot.Routes.Routes, r => r.Id == "upstream");
    }

    [Fact]
    public void AMissingFileIsNamed()
    {
        var path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}", "gateway.json");

        var error = ConfigAssert.Fails(() => ConfigLoader.LoadFile(path), "$", "file not found");

        Assert.Equal(path, error.Origin);
    }

    [Fact]
    public void ErrorsInAFileNameTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"gateway-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{ "routes": [{ "id": "a", "match": { "path": "/" }, "cluster": "nope" }], "clusters": {} }""");
        try
        {
            var error = ConfigAssert.Fails(() => ConfigLoader.LoadFile(path), "$.routes[0].cluster", "unknown cluster \"nope\"");

            Assert.Equal(path, error.Origin);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ADirectoryIsNotReadable()
    {
        var error = ConfigAssert.Fails(() => ConfigLoader.LoadFile(Path.GetTempPath()), "$", "cannot read the file");

        Assert.Equal(Path.GetTempPath(), error.Origin);
    }
}
