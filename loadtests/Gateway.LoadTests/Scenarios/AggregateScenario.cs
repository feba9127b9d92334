namespace Gateway.LoadTests.Scenarios;

/// <summary>
/// An aggregate route of three parts on the upstream's JSON services: a user's profile and their orders called at once,
/// then the latest order's shipment, whose path takes <c>{orders.items[0].id}</c> from the orders' answer; the three merged
/// by name. Every part is required, so a 200 is only ever an answer with all three parts merged (a failed part is a 502).
/// </summary>
internal static class AggregateScenario
{
    /// <summary>The scenario.</summary>
    public static Scenario Create() => new(
        Name: "aggregate",
        Description: "GET /dashboard/{n}: an aggregate of three JSON parts (user and orders at once, then the latest order's shipment from {orders.items[0].id}), all required, merged by name.",
        Gateway: new("""
            [ { "id": "dashboard", "match": { "path": "/dashboard/{userId}", "methods": ["GET"] },
                "aggregate": { "timeout": "2s", "parts": {
                  "user": { "cluster": "upstream", "path": "/users/{userId}" },
                  "orders": { "cluster": "upstream", "path": "/users/{userId}/orders" },
                  "latest": { "cluster": "upstream", "path": "/shipments/{orders.items[0].id}", "fields": ["status", "eta"] } } } } ]
            """),
        ExpectedStatuses: new HashSet<int> { 200 },
        CreateRequest: static (target, n) => new HttpRequestMessage(HttpMethod.Get, new Uri(target, $"/dashboard/{n % 1000}")),
        Stages: static profile => profile.RampThenHold());
}
