using System.Text.Json.Serialization;

namespace Gateway.Core.Configuration;

/// <summary>The configuration as written in the JSON file: routes, the clusters they forward to, and the policies they apply.</summary>
public sealed record GatewayConfig
{
    /// <summary>The routes, each matching requests and naming the cluster that serves them.</summary>
    public List<RouteConfig> Routes { get; set; } = [];

    /// <summary>The upstream clusters, by name.</summary>
    public Dictionary<string, ClusterConfig> Clusters { get; set; } = [];

    /// <summary>Rate-limit policies, by name, for routes to reference.</summary>
    public Dictionary<string, RateLimitPolicyConfig> RateLimits { get; set; } = [];

    /// <summary>The <c>$schema</c> hint for editors (a path or URL of gateway.schema.json); read and otherwise ignored.</summary>
    [JsonPropertyName("$schema")]
    public string? Schema { get; set; }
}
