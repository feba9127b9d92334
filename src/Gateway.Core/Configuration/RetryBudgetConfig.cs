namespace Gateway.Core.Configuration;

/// <summary>How many of a cluster's requests in flight may be retries, so retries never multiply an outage.</summary>
public sealed record RetryBudgetConfig
{
    /// <summary>Retries as a percentage of the cluster's requests in flight.</summary>
    public int Percent { get; set; } = 20;

    /// <summary>Retries always allowed in flight however few the requests, so a lone request can retry.</summary>
    public int MinConcurrency { get; set; } = 3;
}
