namespace Gateway.Core.Configuration;

/// <summary>
/// Passive health checks (outlier ejection): a destination that fails too often is ejected for a time that grows with each
/// ejection, then comes back on probation. Failures are connect errors, resets, timeouts and the <see cref="FailureStatuses"/>.
/// </summary>
public sealed record PassiveHealthConfig
{
    /// <summary>Failures in a row that eject a destination; 0 turns this rule off.</summary>
    public int ConsecutiveFailures { get; set; } = 5;

    /// <summary>Percentage of failed requests over <see cref="Window"/> that ejects a destination; 0 turns this rule off.</summary>
    public int FailurePercent { get; set; }

    /// <summary>The window <see cref="FailurePercent"/> is measured over.</summary>
    public string Window { get; set; } = "10s";

    /// <summary>Fewest requests in a window for <see cref="FailurePercent"/> to judge.</summary>
    public int MinRequests { get; set; } = 10;

    /// <summary>The first ejection's length; each further ejection of the same destination lasts that many times more.</summary>
    public string EjectionTime { get; set; } = "30s";

    /// <summary>The most of a cluster's destinations ejected at once, in percent (at least one may be).</summary>
    public int MaxEjectedPercent { get; set; } = 10;

    /// <summary>Upstream statuses that count as failures (500 does not, by default).</summary>
    public List<int> FailureStatuses { get; set; } = [502, 503, 504];
}
