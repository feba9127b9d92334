using Gateway.Core.Upstreams.LoadBalancing;

namespace Gateway.Core.Upstreams;

/// <summary>A named group of destinations, each with its own connection pool, sharing a load-balancing policy and a timeout.</summary>
public sealed class Cluster(string id, Destination[] destinations, ILoadBalancingPolicy balancer, TimeSpan timeout)
    : IDisposable
{
    /// <summary>The cluster's name in the configuration.</summary>
    public string Id { get; } = id;

    /// <summary>The destinations, never empty.</summary>
    public Destination[] Destinations { get; } = destinations;

    /// <summary>Longest wait for upstream activity before answering 504.</summary>
    public TimeSpan Timeout { get; } = timeout;

    /// <summary>Chooses the destination for one request.</summary>
    public Destination PickDestination() => balancer.Pick(Destinations);

    /// <summary>Closes every destination's pooled connections.</summary>
    public void Dispose()
    {
        foreach (var destination in Destinations)
        {
            destination.Dispose();
        }
    }
}
