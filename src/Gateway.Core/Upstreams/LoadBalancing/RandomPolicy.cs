namespace Gateway.Core.Upstreams.LoadBalancing;

/// <summary>Picks a destination at random, by weight.</summary>
public sealed class RandomPolicy : ILoadBalancingPolicy
{
    /// <inheritdoc/>
    public int Pick(DestinationSet available, ulong? key) => available.RandomIndex();
}
