using System.Text.Json.Serialization;

namespace Gateway.Core.Configuration;

/// <summary>A group of interchangeable upstream destinations: how requests are spread over them, how their health is judged, and how they are reached.</summary>
public sealed record ClusterConfig
{
    /// <summary>The destinations: absolute http:// or https:// base URLs (optionally with a path prefix), each a string or <c>{ "url", "weight" }</c>.</summary>
    [JsonConverter(typeof(DestinationListConverter))]
    public List<DestinationConfig> Destinations { get; set; } = [];

    /// <summary>How a destination is picked for each request: a policy name, or <c>{ "policy", ... }</c> for consistent hashing.</summary>
    [JsonConverter(typeof(LoadBalancingConverter))]
    public LoadBalancingConfig LoadBalancing { get; set; } = new();

    /// <summary>The protocol spoken to the destinations: <c>http1</c> (the default), <c>h2c</c> (HTTP/2 over http://) or <c>h2</c> (HTTP/2 over https://).</summary>
    public string? Protocol { get; set; } = "http1";

    /// <summary>Upstream timeout as written (e.g. "30s", read with <see cref="Duration.TryParse"/>); null uses the gateway default.</summary>
    public string? Timeout { get; set; }

    /// <summary>Active and passive health checks; null runs no active checks and the passive ones with their defaults.</summary>
    public HealthConfig? Health { get; set; }

    /// <summary>Circuit-breaker caps on the cluster's requests; null keeps the defaults.</summary>
    public ClusterLimitsConfig? Limits { get; set; }

    /// <summary>The share of in-flight requests that may be retries; null keeps the defaults.</summary>
    public RetryBudgetConfig? RetryBudget { get; set; }

    /// <summary>The connection pool of each destination; null keeps the GATEWAY_UPSTREAM_* defaults.</summary>
    public ConnectionsConfig? Connections { get; set; }

    /// <summary>TLS toward https destinations: the CA to trust, the SNI name, a client certificate; null trusts the system's CAs.</summary>
    public UpstreamTlsConfig? Tls { get; set; }

    /// <summary>
    /// The path of the OpenAPI document the cluster's destinations publish (e.g. <c>/openapi.json</c>, after each destination's
    /// base path); the gateway's own documents merge its operations into the routes that forward to them. Null: none.
    /// </summary>
    [JsonPropertyName("openapi")]
    public string? OpenApi { get; set; }
}
