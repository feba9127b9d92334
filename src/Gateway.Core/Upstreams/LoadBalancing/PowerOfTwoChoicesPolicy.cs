namespace Gateway.Core.Upstreams.LoadBalancing;

/// <summary>Picks two destinations at random and takes the one with fewer requests in flight.</summary>
public sealed class PowerOfTwoChoicesPolicy : ILoadBalancingPolicy
{
    /// <inheritdoc/>
    public Destination Pick(Destination[] destinations)
    {
        if (destinations.Length == 1)
        {
            return destinations[0];
        }

        var first = Random.Shared.Next(destinations.Length);
        var second = Random.Shared.Next(destinations.Length - 1);
        second += second >= first ? 1 : 0;
        var a = destinations[first];
        var b = destinations[second];
        return b.InFlight < a.InFlight ? b : a;
    }
}
