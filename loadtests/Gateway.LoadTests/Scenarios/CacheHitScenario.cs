namespace Gateway.LoadTests.Scenarios;

/// <summary>
/// Answers from the response cache: GETs spread over 100 paths of a caching route, so after the first request of each
/// path every answer is a hit (the upstream's answers carry no Cache-Control, so the cache's <c>ttl</c> applies).
/// </summary>
internal static class CacheHitScenario
{
    /// <summary>The scenario.</summary>
    public static Scenario Create() => new(
        Name: "cache-hit",
        Description: "GET /cached/items/{n % 100} on a route with a 60 s memory cache: after each path's first request, every answer comes from the cache.",
        Gateway: new(
            """[ { "id": "cached", "match": { "path": "/cached/{*rest}", "methods": ["GET"] }, "cluster": "upstream", "policies": { "cache": "loadtest" } } ]""",
            Caches: """{ "loadtest": { "ttl": "60s", "maxBytes": "16MB" } }"""),
        ExpectedStatuses: new HashSet<int> { 200 },
        CreateRequest: static (target, n) => new HttpRequestMessage(HttpMethod.Get, new Uri(target, $"/cached/items/{n % 100}")),
        Stages: static profile => profile.RampThenHold());
}
