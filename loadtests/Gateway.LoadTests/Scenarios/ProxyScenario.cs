namespace Gateway.LoadTests.Scenarios;

/// <summary>Plain proxying: a GET through a catch-all route to the upstream's small JSON answer.</summary>
internal static class ProxyScenario
{
    /// <summary>The scenario.</summary>
    public static Scenario Create() => new(
        Name: "proxy",
        Description: "GET /proxy/items/{n} through a catch-all route to a small JSON upstream (routing + forwarding only).",
        Gateway: new("""[ { "id": "proxy", "match": { "path": "/proxy/{*rest}", "methods": ["GET"] }, "cluster": "upstream" } ]"""),
        ExpectedStatuses: new HashSet<int> { 200 },
        CreateRequest: static (target, n) => new HttpRequestMessage(HttpMethod.Get, new Uri(target, $"/proxy/items/{n % 1000}")),
        Stages: static profile => profile.RampThenHold());
}
