namespace Gateway.Core.Upstreams.LoadBalancing;

/// <summary>Picks a destination uniformly at random.</summary>
public sealed class RandomPolicy : ILoadBalancingPolicy
{
    /// <inheritdoc/>
    public Destination Pick(Destination[] destinations) => destinations[Random.Shared.Next(destinations.Length)];
}
