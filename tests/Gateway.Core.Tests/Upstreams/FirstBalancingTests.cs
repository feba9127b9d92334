using Gateway.Core.Upstreams;
using Gateway.Core.Upstreams.LoadBalancing;

namespace Gateway.Core.Tests.Upstreams;

/// <summary>First: every request goes to the first available destination in the configuration's order; the others stand by.</summary>
public sealed class FirstBalancingTests
{
    [Fact]
    public void EveryRequestGoesToTheFirstDestination()
    {
        using var fleet = ClusterUnderTest.Weighted([1, 5, 1], new FirstPolicy());

        var counts = fleet.CountPicks(100);

        Assert.Equal([100, 0, 0], counts);
    }

    [Fact]
    public void AnEjectedFirstDestinationHandsOverToTheNext()
    {
        using var fleet = ClusterUnderTest.Weighted([1, 1, 1], new FirstPolicy());

        fleet.Fail(0);

        Assert.Equal(DestinationState.Ejected, fleet[0].Health.State);
        Assert.Same(fleet[1], fleet.Cluster.Pick(null));
    }

    [Fact]
    public void AnUnhealthyFirstDestinationHandsOverToTheNextAndTakesBackWhenHealthy()
    {
        using var fleet = ClusterUnderTest.Weighted([1, 1, 1], new FirstPolicy());

        fleet.FailProbe(0);
        Assert.Same(fleet[1], fleet.Cluster.Pick(null));

        fleet.PassProbe(0);
        Assert.Same(fleet[0], fleet.Cluster.Pick(null));
    }

    [Fact]
    public void WithTheFirstTwoOutTheThirdServes()
    {
        using var fleet = ClusterUnderTest.Weighted([1, 1, 1, 1], new FirstPolicy());

        fleet.Fail(0);
        fleet.FailProbe(1);

        Assert.Same(fleet[2], fleet.Cluster.Pick(null));
    }
}
