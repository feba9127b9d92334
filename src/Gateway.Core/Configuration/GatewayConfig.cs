namespace Gateway.Core.Configuration;

/// <summary>The configuration as written in the JSON file: routes, the clusters they forward to, and the policies they apply.</summary>
public sealed record GatewayConfig
{
    /// <summary>The routes, each matching requests and naming the cluster that serves them.</summary>
    public List<RouteConfig> Routes { get; init; } = [];

    /// <summary>The upstream clusters, by name.</summary>
    public Dictionary<string, ClusterConfig> Clusters { get; init; } = [];

    /// <summary>Rate-limit policies, by name, for routes to reference.</summary>
    public Dictionary<string, RateLimitPolicyConfig> RateLimits { get; init; } = [];
}
