namespace Gateway.LoadTests.Scenarios;

/// <summary>
/// The part of a gateway configuration a scenario needs, in the gateway's own JSON: a <c>routes</c> array whose
/// routes (or their aggregate's parts) send to the cluster named <c>upstream</c> (the runner's upstream), and optionally
/// <c>rateLimits</c>, <c>caches</c> and <c>authentication</c> objects.
/// </summary>
/// <param name="Routes">The JSON array of routes.</param>
/// <param name="RateLimits">The JSON object of rate-limit policies, or null.</param>
/// <param name="Caches">The JSON object of response caches, or null.</param>
/// <param name="Authentication">The JSON object of authentication entries, or null.</param>
internal sealed record GatewaySetup(string Routes, string? RateLimits = null, string? Caches = null, string? Authentication = null);
