namespace Gateway.Core.Configuration;

/// <summary>How a cluster judges its destinations' health: by probing them (active), and by watching their answers (passive).</summary>
public sealed record HealthConfig
{
    /// <summary>Probes of a health path; null sends none.</summary>
    public ActiveHealthConfig? Active { get; set; }

    /// <summary>Outlier ejection from the answers to real requests; null runs it with its defaults (turn it off with <c>consecutiveFailures</c> and <c>failurePercent</c> at 0).</summary>
    public PassiveHealthConfig? Passive { get; set; }
}
