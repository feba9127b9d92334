using BenchmarkDotNet.Attributes;
using Gateway.Core.Routing;

namespace Gateway.Benchmarks;

/// <summary>
/// <see cref="FrontendRoutes{TRoute}.For"/>, the choice of a request's route table that comes before every match: without
/// frontends (what every request pays when none is configured), and on the default listeners where frontends claim 20 exact
/// hosts and 20 wildcards. Every benchmark here must allocate 0 B per operation.
/// </summary>
public class FrontendRoutesBenchmarks
{
    private static readonly byte[] ApiHost = "api.example.com"u8.ToArray();
    private static readonly byte[] ClaimedHost = "eu.tenant17.example.com"u8.ToArray();
    private static readonly RouteTable<int> Default = RouteTable<int>.Build([new RouteSpec<int>("web", "/", [], [], 0, 0)]);

    private FrontendRoutes<int> _withoutFrontends = null!;
    private FrontendRoutes<int> _withHosts = null!;
    private RouteTable<int> _tenant17 = null!;

    /// <summary>Builds both and checks that each benchmark chooses the table its name says.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _withoutFrontends = new FrontendRoutes<int>(Default, []);
        var frontends = Enumerable.Range(0, 20).Select(i => new FrontendSpec<int>(
            $"tenant{i}", false, [$"tenant{i}.example.com", $"*.tenant{i}.example.com"], RouteTable<int>.Build([new RouteSpec<int>($"t{i}", "/", [], [], 0, i)]))).ToList();
        _tenant17 = frontends[17].Routes;
        _withHosts = new FrontendRoutes<int>(Default, frontends);
        if (WithoutFrontends() != Default || ClaimedWildcard() != _tenant17 || UnclaimedHost() != Default)
        {
            throw new InvalidOperationException("a benchmark chose another table than its name says");
        }
    }

    /// <summary>No frontend: the default listeners' table, no host lookup.</summary>
    [Benchmark(Baseline = true)]
    public RouteTable<int> WithoutFrontends() => _withoutFrontends.For(0, ApiHost);

    /// <summary>A host that one frontend's wildcard claims, among 40 patterns.</summary>
    [Benchmark]
    public RouteTable<int> ClaimedWildcard() => _withHosts.For(0, ClaimedHost);

    /// <summary>A host no frontend claims, among 40 patterns: the default table.</summary>
    [Benchmark]
    public RouteTable<int> UnclaimedHost() => _withHosts.For(0, ApiHost);
}
