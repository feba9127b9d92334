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
        Assert.All(config["routes"]!.AsArray(), r => Assert.Equal("upstream", (string?)r!["cluster"]));
        Assert.Equal("http://127.0.0.1:5000", (string?)config["clusters"]!["upstream"]!["destinations"]![0]);
    }

    [Fact]
    public void RateLimitScenarioDefinesItsPolicyAndExpects429()
    {
        var scenario = ScenarioCatalog.Find("rate-limit")!;

        var config = JsonNode.Parse(GatewayConfigFile.Build(scenario.Gateway, new Uri("http://127.0.0.1:5000")))!;

        Assert.Equal(RateLimitScenario.PermitsPerSecond, (int)config["rateLimits"]!["loadtest"]!["permits"]!);
        Assert.Contains(429, scenario.ExpectedStatuses);
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
}
