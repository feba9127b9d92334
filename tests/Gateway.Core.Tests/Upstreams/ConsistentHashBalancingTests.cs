using System.Text;
using Gateway.Core.Upstreams.LoadBalancing;

namespace Gateway.Core.Tests.Upstreams;

/// <summary>
/// Consistent hashing: a key always lands on the same destination (on every gateway instance), keys spread by weight, a
/// destination that leaves takes only its own keys away (about 1/N of them), and a request without a key is still served.
/// </summary>
public sealed class ConsistentHashBalancingTests
{
    /// <summary>Distinct keys per test.</summary>
    private const int Keys = 10_000;

    [Fact]
    public void TheSameKeyAlwaysGoesToTheSameDestinationOnEveryInstance()
    {
        using var one = ClusterUnderTest.Weighted([1, 1, 1, 1], new ConsistentHashPolicy());
        using var other = ClusterUnderTest.Weighted([1, 1, 1, 1], new ConsistentHashPolicy());

        for (var i = 0; i < Keys; i++)
        {
            var key = KeyOf(i);
            var first = one.IndexOf(one.Cluster.Pick(key));
            Assert.Equal(first, one.IndexOf(one.Cluster.Pick(key)));
            Assert.Equal(first, other.IndexOf(other.Cluster.Pick(key)));
        }
    }

    [Fact]
    public void KeysSpreadRoughlyByWeight()
    {
        // The ring gives each unit of weight 160 points: shares land within a few points of the weights' shares.
        int[] weights = [1, 2, 3, 2];
        using var fleet = ClusterUnderTest.Weighted(weights, new ConsistentHashPolicy());

        var counts = fleet.CountPicks(Keys, KeyOf);

        for (var i = 0; i < weights.Length; i++)
        {
            var expected = 100.0 * weights[i] / weights.Sum();
            Assert.InRange(100.0 * counts[i] / Keys, expected - 5, expected + 5);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(200)]
    public void ADestinationThatLeavesTakesOnlyItsOwnKeysAway(int weight)
    {
        // Heavy weights shrink the ring's points per unit of weight; that must not move keys between the destinations that stay.
        const int Count = 5;
        using var fleet = ClusterUnderTest.Weighted([.. Enumerable.Repeat(weight, Count)], new ConsistentHashPolicy());
        var before = Enumerable.Range(0, Keys).Select(i => fleet.IndexOf(fleet.Cluster.Pick(KeyOf(i)))).ToArray();

        fleet.Fail(3);
        var after = Enumerable.Range(0, Keys).Select(i => fleet.IndexOf(fleet.Cluster.Pick(KeyOf(i)))).ToArray();

        var moved = 0;
        for (var i = 0; i < Keys; i++)
        {
            if (before[i] != 3)
            {
                Assert.Equal(before[i], after[i]);
            }
            else
            {
                Assert.NotEqual(3, after[i]);
                moved++;
            }
        }

        // About 1/N of the keys move: between half and one and a half times that.
        Assert.InRange(moved, Keys / 2 / Count, Keys * 3 / 2 / Count);
    }

    [Fact]
    public void RequestsWithoutAKeyAreStillServedAcrossTheDestinations()
    {
        using var fleet = ClusterUnderTest.Weighted([1, 1, 1], new ConsistentHashPolicy());

        var counts = fleet.CountPicks(3_000);

        Assert.All(counts, count => Assert.True(count > 0));
    }

    private static ulong? KeyOf(int i) => KeyHash.Of(Encoding.ASCII.GetBytes($"session-{i}"));
}
