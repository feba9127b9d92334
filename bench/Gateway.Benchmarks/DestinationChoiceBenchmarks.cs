using BenchmarkDotNet.Attributes;
using Gateway.Core.Upstreams;
using Gateway.Core.Upstreams.LoadBalancing;

namespace Gateway.Benchmarks;

/// <summary>
/// Choosing a request's destination, <see cref="Cluster.Pick"/>, for each balancing policy over 2 and 8 destinations, with
/// equal and with uneven weights (1, 2, 3, ...). The cluster has the default settings (passive checks on, every destination
/// available) and requests in flight spread unevenly, so least-requests and power of two choices compare real counts;
/// consistent hashing gets a new key per operation. The destinations are never dialled.
/// </summary>
[MemoryDiagnoser]
public class DestinationChoiceBenchmarks : IDisposable
{
    private static readonly PoolSettings Pool = new(TimeSpan.FromSeconds(5), int.MaxValue, TimeSpan.FromMinutes(5), Timeout.InfiniteTimeSpan);

    private Cluster _cluster = null!;
    private bool _keyed;
    private ulong _key;

    /// <summary>The balancing policy, by its configuration name.</summary>
    [Params("RoundRobin", "Random", "PowerOfTwoChoices", "LeastRequests", "First", "ConsistentHash")]
    public string Policy { get; set; } = "";

    /// <summary>How many destinations the cluster has.</summary>
    [Params(2, 8)]
    public int Destinations { get; set; }

    /// <summary>True: destination i has weight i + 1; false: all weigh 1.</summary>
    [Params(false, true)]
    public bool Weighted { get; set; }

    /// <summary>Builds the cluster, loads its destinations unevenly and checks that the load-blind policies reach every destination.</summary>
    [GlobalSetup]
    public void Setup()
    {
        ILoadBalancingPolicy balancer = Policy switch
        {
            "RoundRobin" => new RoundRobinPolicy(),
            "Random" => new RandomPolicy(),
            "PowerOfTwoChoices" => new PowerOfTwoChoicesPolicy(),
            "LeastRequests" => new LeastRequestsPolicy(),
            "First" => new FirstPolicy(),
            _ => new ConsistentHashPolicy(),
        };
        var destinations = Enumerable.Range(1, Destinations).Select(i => new Destination($"http://192.0.2.{i}:8080", Pool, UpstreamTls.Default)).ToArray();
        int[] weights = [.. Enumerable.Range(1, Destinations).Select(i => Weighted ? i : 1)];
        _cluster = new Cluster("bench", destinations, weights, balancer, new ClusterSettings());
        _keyed = balancer.UsesKey;
        for (var i = 0; i < destinations.Length; i++)
        {
            for (var load = 0; load < (i * 7) % 5; load++)
            {
                destinations[i].RequestStarted();
            }
        }

        var reached = Enumerable.Range(0, 1_000).Select(_ => Pick()).Distinct().Count();
        if (Policy is "RoundRobin" or "Random" or "ConsistentHash" && reached != Destinations)
        {
            throw new InvalidOperationException($"{Policy} picked {reached} of {Destinations} destinations");
        }
    }

    /// <summary>One choice (consistent hashing: for a new key).</summary>
    [Benchmark]
    public Destination Pick()
    {
        ulong? key = null;
        if (_keyed)
        {
            _key = (_key * 6364136223846793005UL) + 1442695040888963407UL;
            key = _key;
        }

        return _cluster.Pick(key);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _cluster.Dispose();
        foreach (var destination in _cluster.Destinations)
        {
            destination.Dispose();
        }

        GC.SuppressFinalize(this);
    }
}
