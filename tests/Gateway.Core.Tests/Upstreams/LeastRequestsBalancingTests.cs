using Gateway.Core.Upstreams.LoadBalancing;

namespace Gateway.Core.Tests.Upstreams;

/// <summary>Least requests: the destination with the fewest requests in flight per unit of weight wins, and ties are spread.</summary>
public sealed class LeastRequestsBalancingTests
{
    [Fact]
    public void TheDestinationWithFewestRequestsInFlightIsPicked()
    {
        using var fleet = ClusterUnderTest.Weighted([1, 1, 1], new LeastRequestsPolicy());
        fleet.Load(0, 1);
        fleet.Load(1, 3);
        fleet.Load(2, 2);

        var counts = fleet.CountPicks(1_000);

        Assert.Equal([1_000, 0, 0], counts);
    }

    [Fact]
    public void RequestsInFlightAreWeighedAgainstTheWeight()
    {
        // Per unit of weight: 3/3 = 1, 2/1 = 2, 3/2 = 1.5; the heaviest loaded destination is the least busy.
        using var fleet = ClusterUnderTest.Weighted([3, 1, 2], new LeastRequestsPolicy());
        fleet.Load(0, 3);
        fleet.Load(1, 2);
        fleet.Load(2, 3);

        var counts = fleet.CountPicks(1_000);

        Assert.Equal([1_000, 0, 0], counts);
    }

    [Fact]
    public void TiesAreSpreadOverTheTiedDestinations()
    {
        // Destinations 1 and 3 tie at one request in flight; 0 and 2 are busier. 4,000 picks between two: each share is
        // within 10 points of half except about once in 10^30 runs.
        using var fleet = ClusterUnderTest.Weighted([1, 1, 1, 1], new LeastRequestsPolicy());
        fleet.Load(0, 2);
        fleet.Load(1, 1);
        fleet.Load(2, 3);
        fleet.Load(3, 1);

        var counts = fleet.CountPicks(4_000);

        Assert.Equal(0, counts[0] + counts[2]);
        Assert.InRange(counts[1], 1_600, 2_400);
        Assert.InRange(counts[3], 1_600, 2_400);
    }

    [Fact]
    public void AFinishedRequestMakesItsDestinationTheLeastBusyAgain()
    {
        using var fleet = ClusterUnderTest.Weighted([1, 1], new LeastRequestsPolicy());
        fleet.Load(0, 1);
        fleet.Load(1, 2);
        Assert.Same(fleet[0], fleet.Cluster.Pick(null));

        fleet[1].RequestFinished();
        fleet[1].RequestFinished();

        Assert.Same(fleet[1], fleet.Cluster.Pick(null));
    }
}
