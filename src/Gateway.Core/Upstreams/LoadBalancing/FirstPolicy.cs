namespace Gateway.Core.Upstreams.LoadBalancing;

/// <summary>Always the first available destination, in the configuration's order (the others are standbys).</summary>
public sealed class FirstPolicy : ILoadBalancingPolicy
{
    /// <inheritdoc/>
    public int Pick(DestinationSet available, ulong? key) => 0;
}
