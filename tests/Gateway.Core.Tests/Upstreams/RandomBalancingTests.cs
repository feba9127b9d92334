using Gateway.Core.Upstreams.LoadBalancing;

namespace Gateway.Core.Tests.Upstreams;

/// <summary>Random balancing: each destination's share of many picks is its weight's share, within a stated tolerance.</summary>
public sealed class RandomBalancingTests
{
    /// <summary>Picks per test: at these counts a share strays past the tolerance less than once in 10^15 runs.</summary>
    private const int Picks = 20_000;

    /// <summary>How far a measured share may be from the weight's share, in percentage points.</summary>
    private const double Tolerance = 3;

    [Fact]
    public void SharesFollowTheWeights()
    {
        int[] weights = [1, 2, 5];
        using var fleet = ClusterUnderTest.Weighted(weights, new RandomPolicy());

        var counts = fleet.CountPicks(Picks);

        for (var i = 0; i < weights.Length; i++)
        {
            var expected = 100.0 * weights[i] / weights.Sum();
            var measured = 100.0 * counts[i] / Picks;
            Assert.InRange(measured, expected - Tolerance, expected + Tolerance);
        }
    }

    [Fact]
    public void EqualWeightsShareEqually()
    {
        using var fleet = ClusterUnderTest.Weighted([1, 1, 1, 1], new RandomPolicy());

        var counts = fleet.CountPicks(Picks);

        Assert.All(counts, count => Assert.InRange(100.0 * count / Picks, 25 - Tolerance, 25 + Tolerance));
    }
}
