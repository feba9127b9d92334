using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.LoadTests.Hosting;
using Gateway.LoadTests.Load;
using Gateway.LoadTests.Scenarios;

namespace Gateway.LoadTests.Tests;

/// <summary>The scenario catalog: every scenario configures the gateway it needs and shapes load from the command line.</summary>
public sealed class ScenarioTests
{
    public static TheoryData<string> Names => [.. ScenarioCatalog.All.Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public void EveryScenarioWritesAConfigurationWithItsRoutesOnTheUpstreamCluster(string name)
    {
        var scenario = ScenarioCatalog.Find(name)!;

        var config = JsonNode.Parse(GatewayConfigFile.Build(scenario.Gateway, new Uri("http://127.0.0.1:5000")))!;

        Assert.NotEmpty(config["routes"]!.AsArray());
        Assert.All(config["routes"]!.AsArray(), r => Assert.All(ClustersOf(r!), c => Assert.Equal("upstream", c)));
        Assert.Equal("http://127.0.0.1:5000", (string?)config["clusters"]!["upstream"]!["destinations"]![0]);
    }

    [Fact]
    public void RateLimitScenarioLimitsEachConsumerByTheirApiKeyAndExpects429()
    {
        var scenario = ScenarioCatalog.Find("rate-limit")!;

        var config = JsonNode.Parse(GatewayConfigFile.Build(scenario.Gateway, new Uri("http://127.0.0.1:5000")))!;
        var keys = config["authentication"]!["loadtest"]!["apiKey"]!["keys"]!.AsObject();
        var sent = Enumerable.Range(0, RateLimitScenario.Consumers).Select(n => scenario.CreateRequest(new Uri("http://127.0.0.1:5000"), n).Headers.GetValues("X-Api-Key").Single());

        Assert.Equal(RateLimitScenario.PermitsPerConsumer, (int)config["rateLimits"]!["loadtest"]!["permits"]!);
        Assert.Equal("Consumer", (string?)config["rateLimits"]!["loadtest"]!["key"]);
        Assert.Equal(RateLimitScenario.Consumers, keys.Count);
        Assert.Equal(
            sent.Select(key => "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)))).Order(),
            keys.Select(k => (string?)k.Value).Order());
        Assert.Contains(429, scenario.ExpectedStatuses);
    }

    [Fact]
    public void AggregateScenarioCallsTwoPartsAtOnceAndAThirdWithAFieldOfOneAllRequired()
    {
        var scenario = ScenarioCatalog.Find("aggregate")!;

        var config = JsonNode.Parse(GatewayConfigFile.Build(scenario.Gateway, new Uri("http://127.0.0.1:5000")))!;

        var parts = config["routes"]![0]!["aggregate"]!["parts"]!.AsObject();
        Assert.Equal(["user", "orders", "latest"], parts.Select(p => p.Key));
        Assert.DoesNotContain(parts, p => (bool?)p.Value!["optional"] == true);
        Assert.Equal(["/users/{userId}", "/users/{userId}/orders", "/shipments/{orders.items[0].id}"], parts.Select(p => (string?)p.Value!["path"]));
        Assert.Equal([200], scenario.ExpectedStatuses);
    }

    [Fact]
    public void SoakScenarioSendsEveryOtherScenariosRequestsInTurnAfterAShortRamp()
    {
        var soak = ScenarioCatalog.Find("soak")!;
        var target = new Uri("http://127.0.0.1:5000");

        var config = JsonNode.Parse(GatewayConfigFile.Build(soak.Gateway, target))!;
        var paths = Enumerable.Range(0, 5).Select(n => soak.CreateRequest(target, n).RequestUri!.AbsolutePath).ToList();
        var stages = soak.Stages(new LoadProfile(TimeSpan.FromHours(1), 5000, null));

        Assert.Equal(["proxy", "orders-create", "limited", "dashboard", "cached"], config["routes"]!.AsArray().Select(r => (string?)r!["id"]));
        Assert.NotNull(config["rateLimits"]!["loadtest"]);
        Assert.NotNull(config["caches"]!["loadtest"]);
        Assert.Equal(["/proxy/items/0", "/orders", "/limited/items/0", "/dashboard/0", "/cached/items/0"], paths);
        Assert.Equal(TimeSpan.FromMinutes(1), stages[0].Duration);
        Assert.Equal(TimeSpan.FromMinutes(59), stages[1].Duration);
    }

    [Fact]
    public void UpstreamJsonServicesAnswerTheFieldTheAggregatesLastPartUses()
    {
        using var user = JsonDocument.Parse(JsonServices.Answer("/users/7")!);
        using var orders = JsonDocument.Parse(JsonServices.Answer("/users/7/orders")!);
        var latest = orders.RootElement.GetProperty("items")[0].GetProperty("id").GetString();
        using var shipment = JsonDocument.Parse(JsonServices.Answer($"/shipments/{latest}")!);

        Assert.Equal("7", user.RootElement.GetProperty("id").GetString());
        Assert.Equal("o-7-1", latest);
        Assert.Equal("o-7-1", shipment.RootElement.GetProperty("order").GetString());
        Assert.Equal("2026-12-03", shipment.RootElement.GetProperty("eta").GetString());
        Assert.Null(JsonServices.Answer("/proxy/items/7"));
        Assert.Null(JsonServices.Answer("/users/7/orders/extra"));
    }

    [Fact]
    public void DefaultProfileRampsForAQuarterThenHolds()
    {
        var stages = new LoadProfile(TimeSpan.FromSeconds(20), 2000, null).RampThenHold();

        Assert.Equal([new RampStage(200, 2000, TimeSpan.FromSeconds(5)), new ConstantRateStage(2000, TimeSpan.FromSeconds(15))], stages);
    }

    [Fact]
    public void UsersSwitchToTheClosedModel()
    {
        var stages = new LoadProfile(TimeSpan.FromSeconds(10), 2000, 32).RampThenHold();

        Assert.Equal([new ConcurrencyStage(32, TimeSpan.FromSeconds(10))], stages);
    }

    /// <summary>The clusters a route sends to: its own, or its aggregate's parts'.</summary>
    private static IEnumerable<string?> ClustersOf(JsonNode route) =>
        route["aggregate"]?["parts"]?.AsObject().Select(p => (string?)p.Value!["cluster"]) ?? [(string?)route["cluster"]];
}
