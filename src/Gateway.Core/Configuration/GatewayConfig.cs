namespace Gateway.Core.Configuration;

/// <summary>The routing configuration as written in the JSON file: routes and the clusters they forward to.</summary>
public sealed record GatewayConfig
{
    /// <summary>The routes, each matching requests and naming the cluster that serves them.</summary>
    public List<RouteConfig> Routes { get; init; } = [];

    /// <summary>The upstream clusters, by name.</summary>
    public Dictionary<string, ClusterConfig> Clusters { get; init; } = [];
}
