namespace Gateway.Core.Upstreams;

/// <summary>A cluster's active health checks: a GET of <paramref name="Path"/> on every destination every <paramref name="Interval"/>.</summary>
/// <param name="Path">The path probed, after the destination's base path.</param>
/// <param name="Interval">Time between two probes of a destination.</param>
/// <param name="Timeout">Longest a probe may take, connect included.</param>
/// <param name="HealthyAfter">Passes in a row that make an unhealthy destination healthy.</param>
/// <param name="UnhealthyAfter">Failures in a row that make a healthy destination unhealthy.</param>
/// <param name="ExpectedStatus">The statuses that pass.</param>
public sealed record HealthProbeSettings(string Path, TimeSpan Interval, TimeSpan Timeout, int HealthyAfter, int UnhealthyAfter, StatusRange ExpectedStatus);
