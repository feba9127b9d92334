using Gateway.Core.Upstreams.LoadBalancing;

namespace Gateway.Core.Tests.Upstreams;

/// <summary>Round robin: over whole cycles each destination gets exactly its weight's share, interleaved, and equal weights alternate strictly.</summary>
public sealed class RoundRobinBalancingTests
{
    [Fact]
    public void WholeCyclesGiveEachDestinationExactlyItsWeightsShare()
    {
        using var fleet = ClusterUnderTest.Weighted([1, 2, 3, 4], new RoundRobinPolicy());

        var counts = fleet.CountPicks(10 * 1_000);

        Assert.Equal([1_000, 2_000, 3_000, 4_000], counts);
    }

    [Fact]
    public void WeightedTurnsAreInterleavedRatherThanGivenInARow()
    {
        using var fleet = ClusterUnderTest.Weighted([4, 4, 8], new RoundRobinPolicy());

        var order = Enumerable.Range(0, 16).Select(_ => fleet.IndexOf(fleet.Cluster.Pick(null))).ToArray();
        var longestRun = order.Select((index, at) => order.Skip(at).TakeWhile(next => next == index).Count()).Max();

        Assert.Equal([4, 4, 8], Enumerable.Range(0, 3).Select(index => order.Count(picked => picked == index)));
        Assert.True(longestRun <= 2, string.Join(",", order));
    }

    [Fact]
    public void EqualWeightsTakeTheDestinationsStrictlyInTurn()
    {
        using var fleet = ClusterUnderTest.Weighted([5, 5, 5], new RoundRobinPolicy());

        var order = Enumerable.Range(0, 9).Select(_ => fleet.IndexOf(fleet.Cluster.Pick(null))).ToArray();

        Assert.Equal([0, 1, 2, 0, 1, 2, 0, 1, 2], order);
    }

    [Fact]
    public void AnEjectedDestinationLeavesTheCycleToTheOthers()
    {
        using var fleet = ClusterUnderTest.Weighted([1, 1, 2], new RoundRobinPolicy());
        fleet.Fail(2);

        var counts = fleet.CountPicks(2 * 500);

        Assert.Equal([500, 500, 0], counts);
    }
}
