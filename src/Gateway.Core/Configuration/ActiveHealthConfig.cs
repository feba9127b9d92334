namespace Gateway.Core.Configuration;

/// <summary>Active health checks: a GET of a path on every destination, every interval, on a connection of its own.</summary>
public sealed record ActiveHealthConfig
{
    /// <summary>The path probed (after the destination's base path), e.g. <c>/healthz</c>.</summary>
    public string Path { get; set; } = "";

    /// <summary>Time between probes of one destination.</summary>
    public string Interval { get; set; } = "5s";

    /// <summary>How long a probe may take, connect included.</summary>
    public string Timeout { get; set; } = "1s";

    /// <summary>Passes in a row that make an unhealthy destination healthy.</summary>
    public int HealthyAfter { get; set; } = 2;

    /// <summary>Failures in a row that make a healthy destination unhealthy.</summary>
    public int UnhealthyAfter { get; set; } = 2;

    /// <summary>The statuses that pass, e.g. <c>200-399</c> or <c>200</c>.</summary>
    public string ExpectedStatus { get; set; } = "200-399";
}
