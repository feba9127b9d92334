using Gateway.Core.Sockets;

namespace Gateway.Core.Upstreams;

/// <summary>How one destination's connections are opened and kept: a cluster's <c>connections</c> over the GATEWAY_UPSTREAM_* defaults.</summary>
/// <param name="ConnectTimeout">Longest wait for a connect (and TLS handshake).</param>
/// <param name="MaxConnections">Most open connections; past it, requests wait for one (int.MaxValue: no cap).</param>
/// <param name="IdleTimeout">How long an idle connection is kept.</param>
/// <param name="Lifetime">How long a connection lives at most (a host name is resolved again for the next one); infinite when none.</param>
public sealed record PoolSettings(TimeSpan ConnectTimeout, int MaxConnections, TimeSpan IdleTimeout, TimeSpan Lifetime)
{
    /// <summary>How the connections move bytes.</summary>
    public TransportKind Transport { get; init; } = TransportKinds.PlatformDefault;

    /// <summary>The pool settings of the process-wide defaults alone.</summary>
    public static PoolSettings From(UpstreamSettings defaults) => new(
        defaults.ConnectTimeout, defaults.MaxConnectionsPerDestination, defaults.PooledConnectionIdleTimeout, Timeout.InfiniteTimeSpan)
    {
        Transport = defaults.Transport,
    };
}
