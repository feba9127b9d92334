using Gateway.Core.Observability;
using Gateway.Core.Policies;
using Gateway.Core.Routing;
using Gateway.Core.Upstreams;

namespace Gateway.Core.Proxy;

/// <summary>A route compiled for serving: its policy steps, where matching requests go and how their path is rewritten.</summary>
public sealed class ProxyRoute(string id, Cluster cluster, PathRewrite? rewrite, IRoutePolicy[] policies, RouteMetrics? metrics)
{
    /// <summary>The route's id in the configuration.</summary>
    public string Id { get; } = id;

    /// <summary>The cluster that serves the route.</summary>
    public Cluster Cluster { get; } = cluster;

    /// <summary>The upstream path rewrite, or null to forward the path unchanged.</summary>
    public PathRewrite? Rewrite { get; } = rewrite;

    /// <summary>The route's policy steps, in order (empty when it has none).</summary>
    public IRoutePolicy[] Policies { get; } = policies;

    /// <summary>The route's metrics, or null when metrics are off.</summary>
    public RouteMetrics? Metrics { get; } = metrics;
}
