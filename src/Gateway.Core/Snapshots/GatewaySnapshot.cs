using Gateway.Core.Authentication;
using Gateway.Core.Caching;
using Gateway.Core.Configuration;
using Gateway.Core.Pipeline;
using Gateway.Core.Policies;
using Gateway.Core.Routing;
using Gateway.Core.Tls;
using Gateway.Core.Upstreams;

namespace Gateway.Core.Snapshots;

/// <summary>
/// A validated configuration compiled for serving: the route tree, the clusters with their destinations' connection pools,
/// and the rate limits with their state. Requests only read it; a reload compiles a successor that carries over what did
/// not change, swaps it in, and retires this one.
/// </summary>
public sealed class GatewaySnapshot : IDisposable
{
    /// <summary>
    /// A snapshot of <paramref name="routes"/> (the default frontend's) and the named <paramref name="frontends"/>' over
    /// <paramref name="clusters"/>, <paramref name="rateLimits"/>, the <paramref name="authentication"/> entries and the
    /// <paramref name="tls"/> certificates (use <see cref="SnapshotCompiler"/> to build one from a configuration).
    /// </summary>
    public GatewaySnapshot(
        RouteTable<GatewayRoute> routes, IReadOnlyDictionary<string, Cluster> clusters, IReadOnlyDictionary<string, ConfiguredRateLimit> rateLimits,
        IReadOnlyDictionary<string, CompiledAuthentication>? authentication = null, ServerCertificates? tls = null,
        IReadOnlyList<FrontendSpec<GatewayRoute>>? frontends = null)
    {
        Routes = new FrontendRoutes<GatewayRoute>(routes, frontends ?? []);
        Clusters = clusters;
        RateLimits = rateLimits;
        Authentication = authentication ?? new Dictionary<string, CompiledAuthentication>();
        Tls = tls;
    }

    /// <summary>The response caches by name (each kept, entries and all, by a reload that leaves its definition unchanged).</summary>
    internal IReadOnlyDictionary<string, ResponseCache> Caches { get; init; } = new Dictionary<string, ResponseCache>();

    /// <summary>
    /// Drops the entries <paramref name="purge"/> names from every cache's memory; returns how many variants went from the
    /// caches kept here alone and from the shared caches' memory (copies of what Redis holds).
    /// </summary>
    public (int Local, int Shared) PurgeCaches(CachePurge purge)
    {
        var (local, shared) = (0, 0);
        foreach (var cache in Caches.Values)
        {
            var purged = cache.PurgeMemory(purge.Matches);
            if (cache.Tier is null)
            {
                local += purged;
            }
            else
            {
                shared += purged;
            }
        }

        return (local, shared);
    }

    /// <summary>The configuration this snapshot was compiled from, for what describes it (the OpenAPI documents and the diagram); never changed.</summary>
    public GatewayConfig Config { get; init; } = new();

    /// <summary>The certificates the <c>https://</c> listeners serve, and HSTS; null without a <c>tls</c> section.</summary>
    public ServerCertificates? Tls { get; }

    /// <summary>The authentication entries by name; a reload keeps an entry whose definition did not change (its keys and token cache).</summary>
    public IReadOnlyDictionary<string, CompiledAuthentication> Authentication { get; }

    /// <summary>The compiled routers: the default frontend's route table and each named frontend's, chosen per request by listener and host.</summary>
    public FrontendRoutes<GatewayRoute> Routes { get; }

    /// <summary>The clusters by name.</summary>
    public IReadOnlyDictionary<string, Cluster> Clusters { get; }

    /// <summary>The rate-limit policies by name.</summary>
    public IReadOnlyDictionary<string, ConfiguredRateLimit> RateLimits { get; }

    /// <summary>Every destination of every cluster.</summary>
    public IEnumerable<Destination> Destinations => Clusters.Values.SelectMany(cluster => cluster.Destinations);

    /// <summary>
    /// Once <paramref name="successor"/> serves, stops this snapshot's health checks (the successor's destinations forget the
    /// verdicts of checks it no longer runs) and closes what only this snapshot holds: the pools
    /// of destinations it dropped (their idle connections close now, busy ones when their requests finish) and the rate limits
    /// it dropped, and its certificates' file checks. Requests still running on this snapshot finish on it.
    /// </summary>
    public void RetireFor(GatewaySnapshot successor)
    {
        // The old clusters stop judging first, so that tries their requests still in flight report cannot bring back what is forgotten next.
        foreach (var cluster in Clusters.Values)
        {
            cluster.Dispose();
        }

        foreach (var cluster in successor.Clusters.Values)
        {
            cluster.ForgetUncheckedVerdicts();
        }

        try
        {
            var kept = successor.Destinations.ToHashSet();
            Close([], Destinations.Where(destination => !kept.Contains(destination)), RateLimits.Values.Where(limit => !successor.RateLimits.Values.Contains(limit)));
        }
        finally
        {
            StopAuthentication(Authentication.Values.Where(entry => !successor.Authentication.Values.Contains(entry)));
            Tls?.Dispose();
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Close(Clusters.Values, Destinations, RateLimits.Values);
        StopAuthentication(Authentication.Values);
        Tls?.Dispose();
    }

    /// <summary>Stops <paramref name="entries"/>' key refreshes.</summary>
    internal static void StopAuthentication(IEnumerable<CompiledAuthentication> entries)
    {
        foreach (var entry in entries)
        {
            entry.Authenticator.Dispose();
        }
    }

    /// <summary>Stops <paramref name="clusters"/>' health checks, closes <paramref name="destinations"/>' pools and stops <paramref name="rateLimits"/>' timers.</summary>
    internal static void Close(IEnumerable<Cluster> clusters, IEnumerable<Destination> destinations, IEnumerable<ConfiguredRateLimit> rateLimits)
    {
        foreach (var cluster in clusters)
        {
            cluster.Dispose();
        }

        foreach (var destination in destinations.ToList())
        {
            destination.Dispose();
        }

        foreach (var rateLimit in rateLimits)
        {
            rateLimit.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
