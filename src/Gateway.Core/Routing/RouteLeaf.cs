namespace Gateway.Core.Routing;

/// <summary>The routes that share one path shape, grouped by host pattern id, each group in <see cref="RouteEntry{TRoute}.Order"/>.</summary>
internal sealed class RouteLeaf<TRoute>(int[] hostIds, RouteCandidate<TRoute>[][] groups)
{
    /// <summary>The candidates registered for the host pattern <paramref name="hostId"/>, lowest order first.</summary>
    public ReadOnlySpan<RouteCandidate<TRoute>> Find(int hostId)
    {
        var index = Array.BinarySearch(hostIds, hostId);
        return index >= 0 ? groups[index] : default;
    }

    /// <summary>Every candidate of every host pattern (a route with several hosts once per host), for explanations.</summary>
    public IEnumerable<RouteCandidate<TRoute>> All => groups.SelectMany(group => group);
}
