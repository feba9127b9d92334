namespace Gateway.Core.Upstreams.LoadBalancing;

/// <summary>Chooses the destination for the next request among a cluster's destinations (never empty).</summary>
public interface ILoadBalancingPolicy
{
    /// <summary>Picks one of <paramref name="destinations"/>.</summary>
    Destination Pick(Destination[] destinations);
}
