namespace Gateway.Core.Upstreams.LoadBalancing;

/// <summary>Picks two destinations at random (by weight) and takes the one with fewer requests in flight per weight.</summary>
public sealed class PowerOfTwoChoicesPolicy : ILoadBalancingPolicy
{
    /// <inheritdoc/>
    public int Pick(DestinationSet available, ulong? key)
    {
        var count = available.Members.Length;
        if (count == 1)
        {
            return 0;
        }

        var first = available.RandomIndex();
        var second = available.RandomIndex();
        if (second == first)
        {
            second = (first + 1) % count;
        }

        return LeastRequestsPolicy.Busier(available, first, second) ? second : first;
    }
}
