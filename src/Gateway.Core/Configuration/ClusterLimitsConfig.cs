namespace Gateway.Core.Configuration;

/// <summary>Circuit-breaker caps on one cluster: past them a request is answered 503 at once, never queued without bound.</summary>
public sealed record ClusterLimitsConfig
{
    /// <summary>Most requests waiting for a connection (when <c>connections.max</c> caps them).</summary>
    public int MaxPendingRequests { get; set; } = 1024;

    /// <summary>Most requests in flight to the cluster; 0 sets no cap.</summary>
    public int MaxRequests { get; set; }
}
