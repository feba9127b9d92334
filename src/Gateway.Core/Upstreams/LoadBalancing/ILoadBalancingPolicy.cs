namespace Gateway.Core.Upstreams.LoadBalancing;

/// <summary>Chooses the destination for the next request among the members of a cluster's current set (never empty).</summary>
public interface ILoadBalancingPolicy
{
    /// <summary>True when the policy picks by the request's hash key (the set then carries a ring).</summary>
    bool UsesKey => false;

    /// <summary>The index in <paramref name="available"/> of the member for a request whose hash key is <paramref name="key"/> (null: no key).</summary>
    int Pick(DestinationSet available, ulong? key);
}
