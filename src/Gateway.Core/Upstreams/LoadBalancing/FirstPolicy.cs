namespace Gateway.Core.Upstreams.LoadBalancing;

/// <summary>Always the first destination (the others are standbys for when health checks arrive).</summary>
public sealed class FirstPolicy : ILoadBalancingPolicy
{
    /// <inheritdoc/>
    public Destination Pick(Destination[] destinations) => destinations[0];
}
