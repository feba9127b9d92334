namespace Gateway.Core.Upstreams.LoadBalancing;

/// <summary>Takes the destination with the fewest requests in flight per weight, looking at all of them from a random start (so ties spread).</summary>
public sealed class LeastRequestsPolicy : ILoadBalancingPolicy
{
    /// <inheritdoc/>
    public int Pick(DestinationSet available, ulong? key)
    {
        var count = available.Members.Length;
        var start = count == 1 ? 0 : Random.Shared.Next(count);
        var best = start;
        for (var step = 1; step < count; step++)
        {
            var candidate = start + step < count ? start + step : start + step - count;
            if (Busier(available, best, candidate))
            {
                best = candidate;
            }
        }

        return best;
    }

    /// <summary>True when member <paramref name="a"/> has more requests in flight per weight than member <paramref name="b"/>.</summary>
    internal static bool Busier(DestinationSet available, int a, int b) =>
        (long)available.Members[a].InFlight * available.Weights[b] > (long)available.Members[b].InFlight * available.Weights[a];
}
