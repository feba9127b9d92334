using Gateway.Core.Upstreams.LoadBalancing;

namespace Gateway.Core.Tests.Upstreams;

/// <summary>Power of two choices: of the two destinations drawn, the busier (per unit of weight) is never taken over an idle one.</summary>
public sealed class PowerOfTwoChoicesBalancingTests
{
    [Fact]
    public void OfTwoDestinationsTheIdleOneAlwaysWins()
    {
        using var fleet = ClusterUnderTest.Weighted([1, 1], new PowerOfTwoChoicesPolicy());
        fleet.Load(0, 5);

        var counts = fleet.CountPicks(1_000);

        Assert.Equal([0, 1_000], counts);
    }

    [Fact]
    public void TheOnlyBusyDestinationIsNeverPickedWhileTheOthersAreIdle()
    {
        using var fleet = ClusterUnderTest.Weighted([1, 1, 1, 1], new PowerOfTwoChoicesPolicy());
        fleet.Load(2, 1);

        var counts = fleet.CountPicks(4_000);

        Assert.Equal(0, counts[2]);
        Assert.All([counts[0], counts[1], counts[3]], count => Assert.True(count > 0));
    }

    [Fact]
    public void BusynessIsWeighedAgainstTheWeight()
    {
        // Destination 0 has more requests in flight but, at four times the weight, is the less busy of the two.
        using var fleet = ClusterUnderTest.Weighted([4, 1], new PowerOfTwoChoicesPolicy());
        fleet.Load(0, 2);
        fleet.Load(1, 1);

        var counts = fleet.CountPicks(1_000);

        Assert.Equal([1_000, 0], counts);
    }

    [Fact]
    public void IdleDestinationsAllGetPicked()
    {
        using var fleet = ClusterUnderTest.Weighted([1, 1, 1], new PowerOfTwoChoicesPolicy());

        var counts = fleet.CountPicks(3_000);

        Assert.All(counts, count => Assert.True(count > 0));
    }
}
