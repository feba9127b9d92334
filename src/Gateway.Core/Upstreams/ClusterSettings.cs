namespace Gateway.Core.Upstreams;

/// <summary>How a cluster treats its destinations beyond balancing: timeouts, health checks, circuit-breaker caps and the retry budget.</summary>
public sealed record ClusterSettings
{
    /// <summary>The protocol spoken to the destinations.</summary>
    public UpstreamProtocol Protocol { get; init; }

    /// <summary>Longest wait for upstream activity (response head, or the next piece of the body); past it, 504.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Passive health checks (outlier ejection).</summary>
    public OutlierSettings Outliers { get; init; } = OutlierSettings.Default;

    /// <summary>Active health checks; null probes nothing.</summary>
    public HealthProbeSettings? Probes { get; init; }

    /// <summary>Most requests in flight to the cluster; past it, 503 at once. 0: no cap.</summary>
    public int MaxRequests { get; init; }

    /// <summary>Most requests waiting for a connection (when the pools' connection caps are reached); past it, 503 at once.</summary>
    public int MaxPendingRequests { get; init; } = 1024;

    /// <summary>Retries in flight as a share of the requests in flight, in percent.</summary>
    public int RetryBudgetPercent { get; init; } = 20;

    /// <summary>Retries in flight always allowed, however few the requests.</summary>
    public int RetryBudgetMinConcurrency { get; init; } = 3;
}
