using Gateway.Core.Routing;
using Gateway.Core.Upstreams;

namespace Gateway.Core.Pipeline;

/// <summary>A route's forwarding handler: the cluster that serves it, how the path is rewritten on the way, how long and how often it may be tried, and whether WebSockets go through.</summary>
public sealed class ForwardTarget(Cluster cluster, PathRewrite? rewrite, RetryPolicy? retry = null, TimeSpan? timeout = null, bool upgrade = true)
{
    /// <summary>The cluster that serves the route.</summary>
    public Cluster Cluster { get; } = cluster;

    /// <summary>The upstream path rewrite, or null to forward the (normalized) path unchanged.</summary>
    public PathRewrite? Rewrite { get; } = rewrite;

    /// <summary>The route's retries, or null when it retries nothing (a connection that could not be opened still fails over).</summary>
    public RetryPolicy? Retry { get; } = retry;

    /// <summary>The longest the whole exchange may take, every try included; null: no limit beyond the cluster's timeout on each wait.</summary>
    public TimeSpan? Timeout { get; } = timeout;

    /// <summary>True when a WebSocket upgrade goes upstream with its upgrade fields (the route's <c>upgrade</c>, default true); false strips them like any hop-by-hop field.</summary>
    public bool Upgrade { get; } = upgrade;
}
