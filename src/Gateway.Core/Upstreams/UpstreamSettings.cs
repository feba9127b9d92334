using Gateway.Core.Sockets;

namespace Gateway.Core.Upstreams;

/// <summary>Defaults for every cluster's upstream connections (a cluster may override the timeout).</summary>
public sealed record UpstreamSettings
{
    /// <summary>Longest wait for upstream activity (response head, or the next piece of the body); past it, 504.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait for a TCP connect to a destination; past it, 502.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Cap on pooled connections to one destination.</summary>
    public int MaxConnectionsPerDestination { get; init; } = int.MaxValue;

    /// <summary>How long an idle pooled upstream connection is kept.</summary>
    public TimeSpan PooledConnectionIdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How HTTP/1.1 upstream connections move bytes (GATEWAY_TRANSPORT, as the public listeners).</summary>
    public TransportKind Transport { get; init; } = TransportKinds.PlatformDefault;
}
