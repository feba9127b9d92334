using Gateway.Core.Upstreams;
using Gateway.Core.Upstreams.LoadBalancing;

namespace Gateway.Core.Tests.Upstreams;

/// <summary>Choosing a destination allocates nothing, whatever the balancing, once the cluster's current set is built.</summary>
public sealed class PickAllocationTests
{
    /// <summary>Each balancing, weighted and not where weights make a difference.</summary>
    public static TheoryData<string> Policies => ["round-robin", "weighted-round-robin", "random", "weighted-random", "power-of-two", "least-requests", "first", "consistent-hash"];

    [Theory]
    [MemberData(nameof(Policies))]
    public void PicksAllocateNothing(string policy)
    {
        int[] weights = policy.StartsWith("weighted", StringComparison.Ordinal) || policy == "consistent-hash" ? [1, 3, 2] : [1, 1, 1];
        ILoadBalancingPolicy balancer = policy switch
        {
            "round-robin" or "weighted-round-robin" => new RoundRobinPolicy(),
            "random" or "weighted-random" => new RandomPolicy(),
            "power-of-two" => new PowerOfTwoChoicesPolicy(),
            "least-requests" => new LeastRequestsPolicy(),
            "first" => new FirstPolicy(),
            _ => new ConsistentHashPolicy(),
        };
        using var fleet = ClusterUnderTest.Weighted(weights, balancer);
        fleet.Load(1, 2);
        var tried = new List<Destination> { fleet[0] };

        var checksum = Pick(fleet.Cluster, tried, 1_000);
        var before = GC.GetAllocatedBytesForCurrentThread();
        checksum += Pick(fleet.Cluster, tried, 100_000);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.NotEqual(0, checksum);
    }

    /// <summary>Picks <paramref name="rounds"/> times each way (keyed, keyless, another try); a sum of the picks' ports so none is optimized away.</summary>
    private static long Pick(Cluster cluster, List<Destination> tried, int rounds)
    {
        var sum = 0L;
        for (var i = 0; i < rounds; i++)
        {
            sum += cluster.Pick((ulong)i * 0x9E3779B97F4A7C15UL).Endpoint.Port;
            sum += cluster.Pick(null).Endpoint.Port;
            sum += cluster.PickUntried(null, tried)?.Endpoint.Port ?? 0;
        }

        return sum;
    }
}
