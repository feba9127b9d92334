namespace Gateway.Core.Upstreams;

/// <summary>
/// A cluster's passive health checks: when a destination counts as failing (connect errors, resets, timeouts and the
/// <see cref="FailureStatuses"/>), when it is ejected, for how long, and how much of the cluster may be ejected at once.
/// </summary>
/// <param name="ConsecutiveFailures">Failures in a row that eject a destination; 0: this rule is off.</param>
/// <param name="FailurePercent">Share of failures over <paramref name="Window"/> that ejects a destination; 0: this rule is off.</param>
/// <param name="Window">What <paramref name="FailurePercent"/> is measured over.</param>
/// <param name="MinRequests">Fewest requests in a window for <paramref name="FailurePercent"/> to judge.</param>
/// <param name="EjectionTime">The first ejection's length; the n-th lasts n times as long (10 times at most).</param>
/// <param name="MaxEjectedPercent">Most of the cluster ejected at once, in percent; one destination always may be.</param>
/// <param name="FailureStatuses">Upstream statuses that count as failures.</param>
public sealed record OutlierSettings(
    int ConsecutiveFailures, int FailurePercent, TimeSpan Window, int MinRequests, TimeSpan EjectionTime, int MaxEjectedPercent, int[] FailureStatuses)
{
    /// <summary>The defaults: 5 failures in a row eject for 30 s, at most 10% of a cluster (one at least), on 502, 503 and 504.</summary>
    public static OutlierSettings Default { get; } = new(5, 0, TimeSpan.FromSeconds(10), 10, TimeSpan.FromSeconds(30), 10, [502, 503, 504]);

    /// <summary>True when either rule can eject.</summary>
    public bool Enabled => ConsecutiveFailures > 0 || FailurePercent > 0;
}
