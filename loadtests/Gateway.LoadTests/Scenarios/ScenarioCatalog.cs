namespace Gateway.LoadTests.Scenarios;

/// <summary>Every scenario the runner knows. A new capability's scenario is one file beside this one plus one line here.</summary>
internal static class ScenarioCatalog
{
    /// <summary>All scenarios, in <c>--list</c> order.</summary>
    public static IReadOnlyList<Scenario> All { get; } =
    [
        ProxyScenario.Create(),
        ProxyPostScenario.Create(),
        RateLimitScenario.Create(),
        AggregateScenario.Create(),
        CacheHitScenario.Create(),
        SoakScenario.Create(),
    ];

    /// <summary>The scenario called <paramref name="name"/>, or null.</summary>
    public static Scenario? Find(string name) => All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
}
