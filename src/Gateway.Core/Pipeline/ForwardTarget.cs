using Gateway.Core.Routing;
using Gateway.Core.Upstreams;

namespace Gateway.Core.Pipeline;

/// <summary>A route's forwarding handler: the cluster that serves it and how the path is rewritten on the way.</summary>
public sealed class ForwardTarget(Cluster cluster, PathRewrite? rewrite)
{
    /// <summary>The cluster that serves the route.</summary>
    public Cluster Cluster { get; } = cluster;

    /// <summary>The upstream path rewrite, or null to forward the (normalized) path unchanged.</summary>
    public PathRewrite? Rewrite { get; } = rewrite;
}
