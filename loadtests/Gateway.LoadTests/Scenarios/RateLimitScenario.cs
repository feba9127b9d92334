namespace Gateway.LoadTests.Scenarios;

/// <summary>
/// A rate-limited route pushed past its limit: the gateway must admit about the limit and answer the rest 429
/// quickly. It stands in for "auth + rate limit" until authentication lands (then the route gains an auth policy
/// and the limit is keyed on the consumer).
/// </summary>
internal static class RateLimitScenario
{
    /// <summary>Requests per second the route admits.</summary>
    public const int PermitsPerSecond = 1000;

    /// <summary>The scenario.</summary>
    public static Scenario Create() => new(
        Name: "rate-limit",
        Description: $"GET /limited/{{n}} on a route limited to {PermitsPerSecond} req/s (GCRA, global key): 200 within the limit, 429 beyond it, both expected.",
        Gateway: new(
            """[ { "id": "limited", "match": { "path": "/limited/{*rest}", "methods": ["GET"] }, "cluster": "upstream", "policies": { "rateLimit": ["loadtest"] } } ]""",
            $$"""{ "loadtest": { "permits": {{PermitsPerSecond}}, "period": "1s", "key": "Global" } }"""),
        ExpectedStatuses: new HashSet<int> { 200, 429 },
        CreateRequest: static (target, n) => new HttpRequestMessage(HttpMethod.Get, new Uri(target, $"/limited/items/{n % 1000}")),
        Stages: static profile => profile.RampThenHold());
}
