namespace Gateway.Core.Upstreams.LoadBalancing;

/// <summary>Takes the destinations in turn, lock-free.</summary>
public sealed class RoundRobinPolicy : ILoadBalancingPolicy
{
    private uint _next;

    /// <inheritdoc/>
    public Destination Pick(Destination[] destinations) =>
        destinations[(Interlocked.Increment(ref _next) - 1) % (uint)destinations.Length];
}
