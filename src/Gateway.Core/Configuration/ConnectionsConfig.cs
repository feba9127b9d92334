namespace Gateway.Core.Configuration;

/// <summary>The connection pool of each of a cluster's destinations.</summary>
public sealed record ConnectionsConfig
{
    /// <summary>Most open connections to one destination; null keeps GATEWAY_UPSTREAM_MAX_CONNECTIONS.</summary>
    public int? Max { get; set; }

    /// <summary>How long an idle connection is kept; null keeps GATEWAY_UPSTREAM_IDLE_TIMEOUT.</summary>
    public string? IdleTimeout { get; set; }

    /// <summary>How long a connection lives at most (a host name is resolved again for the next); null: as long as it works.</summary>
    public string? Lifetime { get; set; }
}
