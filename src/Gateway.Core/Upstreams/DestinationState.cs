namespace Gateway.Core.Upstreams;

/// <summary>Whether balancing may pick a destination, and why not.</summary>
public enum DestinationState
{
    /// <summary>Available.</summary>
    Healthy,

    /// <summary>Failed its cluster's active health checks.</summary>
    Unhealthy,

    /// <summary>Ejected by passive health checks (outlier detection) for a while.</summary>
    Ejected,
}
