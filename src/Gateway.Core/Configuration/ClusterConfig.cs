namespace Gateway.Core.Configuration;

/// <summary>A group of interchangeable upstream destinations and how requests are spread over them.</summary>
public sealed record ClusterConfig
{
    /// <summary>Absolute http:// or https:// base URLs, optionally with a path prefix.</summary>
    public List<string> Destinations { get; set; } = [];

    /// <summary>How a destination is picked for each request.</summary>
    public LoadBalancingMode LoadBalancing { get; set; }

    /// <summary>Upstream timeout as written (e.g. "30s", read with <see cref="Duration.TryParse"/>); null uses the gateway default.</summary>
    public string? Timeout { get; set; }
}
