using System.Text.Json.Serialization;

namespace Gateway.Core.Configuration;

/// <summary>The configuration as written in the JSON file: routes, the clusters they forward to, the policies they apply, and the listeners.</summary>
public sealed record GatewayConfig
{
    /// <summary>
    /// The public listener URLs, e.g. <c>http://0.0.0.0:8080</c>; null leaves them to GATEWAY_LISTEN or its default, and
    /// GATEWAY_LISTEN wins when set. They are bound at start: a reload cannot change them.
    /// </summary>
    public List<string>? Listen { get; set; }

    /// <summary>The named frontends, each served on listeners and hosts of its own with its own routes; routes that name none belong to the default frontend.</summary>
    public Dictionary<string, FrontendConfig> Frontends { get; set; } = [];

    /// <summary>The routes, each matching requests and naming the cluster that serves them.</summary>
    public List<RouteConfig> Routes { get; set; } = [];

    /// <summary>The upstream clusters, by name.</summary>
    public Dictionary<string, ClusterConfig> Clusters { get; set; } = [];

    /// <summary>Rate-limit policies, by name, for routes to reference.</summary>
    public Dictionary<string, RateLimitPolicyConfig> RateLimits { get; set; } = [];

    /// <summary>Ways to authenticate callers, by name, for routes to reference.</summary>
    public Dictionary<string, AuthenticationConfig> Authentication { get; set; } = [];

    /// <summary>Response caches, by name, for routes to reference.</summary>
    public Dictionary<string, CacheConfig> Caches { get; set; } = [];

    /// <summary>CORS policies, by name, for routes to reference.</summary>
    public Dictionary<string, CorsPolicyConfig> Cors { get; set; } = [];

    /// <summary>The client addresses that may use any route; null lets every address (routes may still filter).</summary>
    public IpFilterConfig? IpFilter { get; set; }

    /// <summary>TLS termination for the <c>https://</c> listeners, or null when there are none.</summary>
    public TlsConfig? Tls { get; set; }

    /// <summary>The <c>$schema</c> hint for editors (a path or URL of gateway.schema.json); read and otherwise ignored.</summary>
    [JsonPropertyName("$schema")]
    public string? Schema { get; set; }
}
