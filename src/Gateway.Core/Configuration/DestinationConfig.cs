namespace Gateway.Core.Configuration;

/// <summary>One destination of a cluster: its URL and its share of the cluster's requests.</summary>
public sealed record DestinationConfig
{
    /// <summary>The absolute http:// or https:// base URL.</summary>
    public string Url { get; set; } = "";

    /// <summary>The destination's weight relative to the others (1 to 1000; default 1).</summary>
    public int Weight { get; set; } = 1;
}
