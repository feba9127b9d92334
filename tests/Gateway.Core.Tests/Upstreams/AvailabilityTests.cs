using Gateway.Core.Upstreams;
using Gateway.Core.Upstreams.LoadBalancing;

namespace Gateway.Core.Tests.Upstreams;

/// <summary>
/// Which destinations balancing uses: those not ejected nor unhealthy, unless fewer than half are left, when it uses all of
/// them (panic, as Envoy does); and the choice of another destination for a retry.
/// </summary>
public sealed class AvailabilityTests
{
    [Fact]
    public void EjectedAndUnhealthyDestinationsGetNoRequests()
    {
        using var fleet = ClusterUnderTest.Weighted([1, 1, 1, 1, 1], new RoundRobinPolicy());

        fleet.Fail(1);
        fleet.FailProbe(3);

        Assert.Equal([0, 2, 4], Available(fleet));
        Assert.Equal([100, 0, 100, 0, 100], fleet.CountPicks(300));
    }

    [Fact]
    public void ExactlyHalfAvailableStillKeepsTheOthersOut()
    {
        using var fleet = ClusterUnderTest.Weighted([1, 1, 1, 1], new RoundRobinPolicy());

        fleet.Fail(0);
        fleet.FailProbe(1);

        Assert.Equal([0, 0, 50, 50], fleet.CountPicks(100));
    }

    [Fact]
    public void FewerThanHalfAvailableUsesThemAll()
    {
        using var fleet = ClusterUnderTest.Weighted([1, 1, 1, 1, 1], new RoundRobinPolicy());

        fleet.Fail(0);
        fleet.Fail(1);
        fleet.FailProbe(2);

        Assert.Equal([0, 1, 2, 3, 4], Available(fleet));
        Assert.Equal([100, 100, 100, 100, 100], fleet.CountPicks(500));
    }

    [Fact]
    public void NoneAvailableUsesThemAll()
    {
        using var fleet = ClusterUnderTest.Weighted([1, 1], new RoundRobinPolicy());

        fleet.Fail(0);
        fleet.FailProbe(1);

        Assert.Equal([50, 50], fleet.CountPicks(100));
    }

    [Fact]
    public void ADestinationBackInHealthGetsRequestsAgain()
    {
        using var fleet = ClusterUnderTest.Weighted([1, 1, 1], new RoundRobinPolicy());
        fleet.FailProbe(2);
        Assert.Equal([50, 50, 0], fleet.CountPicks(100));

        fleet.PassProbe(2);

        Assert.Equal([50, 50, 50], fleet.CountPicks(150));
    }

    [Fact]
    public void AnotherTrySkipsTheDestinationsAlreadyTried()
    {
        using var fleet = ClusterUnderTest.Weighted([1, 1, 1], new RandomPolicy());
        var tried = new List<Destination> { fleet[0], fleet[2] };

        for (var i = 0; i < 100; i++)
        {
            Assert.Same(fleet[1], fleet.Cluster.PickUntried(null, tried));
        }
    }

    [Fact]
    public void AnotherTryFindsNoneOnceEveryAvailableDestinationWasTried()
    {
        using var fleet = ClusterUnderTest.Weighted([1, 1, 1, 1], new RoundRobinPolicy());
        fleet.Fail(3);

        Assert.Null(fleet.Cluster.PickUntried(null, [fleet[0], fleet[1], fleet[2]]));
    }

    [Fact]
    public void AnotherTryNeverGoesToAnUnavailableDestination()
    {
        using var fleet = ClusterUnderTest.Weighted([1, 1, 1, 1], new RoundRobinPolicy());
        fleet.Fail(3);

        for (var i = 0; i < 100; i++)
        {
            var next = fleet.Cluster.PickUntried(null, [fleet[0]]);
            Assert.NotNull(next);
            Assert.NotSame(fleet[0], next);
            Assert.NotSame(fleet[3], next);
        }
    }

    private static int[] Available(ClusterUnderTest fleet) => [.. fleet.Cluster.Available.Members.Select(fleet.IndexOf)];
}
