namespace Gateway.Core.Upstreams.LoadBalancing;

/// <summary>Sends each hash key to the destination that owns it on the ring; a request without a key goes to a destination picked at random.</summary>
public sealed class ConsistentHashPolicy : ILoadBalancingPolicy
{
    /// <inheritdoc/>
    public bool UsesKey => true;

    /// <inheritdoc/>
    public int Pick(DestinationSet available, ulong? key) => key is { } hash ? available.Ring!.OwnerOf(hash) : available.RandomIndex();
}
