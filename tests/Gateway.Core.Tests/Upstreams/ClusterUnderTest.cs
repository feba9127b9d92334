using Gateway.Core.Upstreams;
using Gateway.Core.Upstreams.LoadBalancing;

namespace Gateway.Core.Tests.Upstreams;

/// <summary>A cluster with destinations of its own, closed together with them; helpers pick, eject and count.</summary>
internal sealed class ClusterUnderTest : IDisposable
{
    /// <summary>Pool settings for destinations in tests: no cap, no lifetime.</summary>
    public static readonly PoolSettings Pool = new(TimeSpan.FromSeconds(5), int.MaxValue, TimeSpan.FromMinutes(5), Timeout.InfiniteTimeSpan);

    /// <summary>Passive checks that eject at the first failure, any share of the cluster, for longer than any test.</summary>
    public static readonly OutlierSettings EjectAtFirstFailure =
        OutlierSettings.Default with { ConsecutiveFailures = 1, MaxEjectedPercent = 100, EjectionTime = TimeSpan.FromMinutes(10) };

    /// <summary>No passive checks at all.</summary>
    public static readonly OutlierSettings NoOutliers = OutlierSettings.Default with { ConsecutiveFailures = 0, FailurePercent = 0 };

    /// <summary>A cluster over one destination at each of <paramref name="addresses"/>.</summary>
    public ClusterUnderTest(
        string[] addresses, int[]? weights = null, ILoadBalancingPolicy? balancer = null, ClusterSettings? settings = null, Action<Destination>? stateChanged = null)
    {
        var destinations = addresses.Select(address => new Destination(address, Pool, UpstreamTls.Default)).ToArray();
        Cluster = new Cluster(
            "under-test", destinations, weights ?? [.. addresses.Select(_ => 1)], balancer ?? new RoundRobinPolicy(), settings ?? new ClusterSettings(), stateChanged: stateChanged);
    }

    /// <summary>The cluster itself.</summary>
    public Cluster Cluster { get; }

    /// <summary>The destination at <paramref name="index"/> in the configuration's order.</summary>
    public Destination this[int index] => Cluster.Destinations[index];

    /// <summary>A cluster over destinations that are never dialled (TEST-NET-1 addresses), one per weight, ejecting as <paramref name="outliers"/> say.</summary>
    public static ClusterUnderTest Weighted(
        int[] weights, ILoadBalancingPolicy balancer, OutlierSettings? outliers = null, Action<Destination>? stateChanged = null) =>
        new([.. weights.Select((_, i) => $"http://192.0.2.{i + 1}:8080")], weights, balancer, new ClusterSettings { Outliers = outliers ?? EjectAtFirstFailure }, stateChanged);

    /// <summary>The position of <paramref name="destination"/> in the configuration's order.</summary>
    public int IndexOf(Destination destination) => Array.IndexOf(Cluster.Destinations, destination);

    /// <summary>How many of <paramref name="picks"/> picks went to each destination, hashing pick i by <paramref name="keyOf"/>(i) when given.</summary>
    public int[] CountPicks(int picks, Func<int, ulong?>? keyOf = null)
    {
        var counts = new int[Cluster.Destinations.Length];
        for (var i = 0; i < picks; i++)
        {
            counts[IndexOf(Cluster.Pick(keyOf?.Invoke(i)))]++;
        }

        return counts;
    }

    /// <summary>Reports <paramref name="tries"/> failed tries on destination <paramref name="index"/>.</summary>
    public void Fail(int index, int tries = 1)
    {
        for (var i = 0; i < tries; i++)
        {
            Cluster.Report(this[index], failed: true);
        }
    }

    /// <summary>Gives destination <paramref name="index"/> the verdict active probes give after one failure when one is enough.</summary>
    public void FailProbe(int index) => this[index].Health.RecordProbe(passed: false, healthyAfter: 1, unhealthyAfter: 1);

    /// <summary>Gives destination <paramref name="index"/> the verdict active probes give after one pass when one is enough.</summary>
    public void PassProbe(int index) => this[index].Health.RecordProbe(passed: true, healthyAfter: 1, unhealthyAfter: 1);

    /// <summary>Sets destination <paramref name="index"/>'s requests in flight to <paramref name="count"/> (from none).</summary>
    public void Load(int index, int count)
    {
        for (var i = 0; i < count; i++)
        {
            this[index].RequestStarted();
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Cluster.Dispose();
        foreach (var destination in Cluster.Destinations)
        {
            destination.Dispose();
        }
    }
}
