using System.Text.Json.Nodes;
using Gateway.LoadTests.Load;

namespace Gateway.LoadTests.Scenarios;

/// <summary>
/// A long run of every kind of request at once, to see whether the gateway's memory settles: the requests of the
/// proxy, proxy-post, rate-limit, aggregate and cache-hit scenarios in turn, after a one-minute ramp (a quarter of the
/// run when shorter). Run it for an hour; the report's memory section gives the trend of the second half.
/// </summary>
internal static class SoakScenario
{
    private static readonly TimeSpan LongestRamp = TimeSpan.FromMinutes(1);

    /// <summary>The scenario.</summary>
    public static Scenario Create()
    {
        Scenario[] mix = [ProxyScenario.Create(), ProxyPostScenario.Create(), RateLimitScenario.Create(), AggregateScenario.Create(), CacheHitScenario.Create()];
        var routes = new JsonArray();
        foreach (var scenario in mix)
        {
            foreach (var route in JsonNode.Parse(scenario.Gateway.Routes)!.AsArray())
            {
                routes.Add(route!.DeepClone());
            }
        }

        return new(
            Name: "soak",
            Description: $"The requests of {string.Join(", ", mix.Select(s => s.Name))} in turn, held for a long run (e.g. --duration 1h): does the gateway's memory settle?",
            Gateway: new(
                routes.ToJsonString(),
                mix.Select(s => s.Gateway.RateLimits).Single(r => r is not null),
                mix.Select(s => s.Gateway.Caches).Single(c => c is not null),
                mix.Select(s => s.Gateway.Authentication).Single(a => a is not null)),
            ExpectedStatuses: mix.SelectMany(s => s.ExpectedStatuses).ToHashSet(),
            CreateRequest: (target, n) => mix[n % mix.Length].CreateRequest(target, n / mix.Length),
            Stages: static profile => Stages(profile));
    }

    private static IReadOnlyList<LoadStage> Stages(LoadProfile profile)
    {
        if (profile.Users is { } users)
        {
            return [new ConcurrencyStage(users, profile.Duration)];
        }

        var ramp = TimeSpan.FromSeconds(Math.Max(1, Math.Min(LongestRamp.TotalSeconds, Math.Round(profile.Duration.TotalSeconds / 4))));
        return ramp >= profile.Duration
            ? [new ConstantRateStage(profile.Rate, profile.Duration)]
            : [new RampStage(profile.Rate / 10, profile.Rate, ramp), new ConstantRateStage(profile.Rate, profile.Duration - ramp)];
    }
}
