using Gateway.Core.Configuration;
using Gateway.Core.Observability;
using Gateway.Core.Policies;
using Gateway.Core.Proxy;
using Gateway.Core.RateLimiting;
using Gateway.Core.Routing;
using Gateway.Core.Upstreams.LoadBalancing;
using Gateway.Core.Upstreams;

namespace Gateway.Core.Snapshots;

/// <summary>
/// A validated configuration compiled for serving: the route tree and the clusters with their pooled clients.
/// Immutable; requests only read it, and a reload swaps in a new one.
/// </summary>
public sealed class GatewaySnapshot : IDisposable
{
    private GatewaySnapshot(RouteTable<ProxyRoute> routes, IReadOnlyDictionary<string, Cluster> clusters, IReadOnlyDictionary<string, ConfiguredRateLimit> rateLimits)
    {
        Routes = routes;
        Clusters = clusters;
        RateLimits = rateLimits;
    }

    /// <summary>The compiled router.</summary>
    public RouteTable<ProxyRoute> Routes { get; }

    /// <summary>The clusters by name.</summary>
    public IReadOnlyDictionary<string, Cluster> Clusters { get; }

    /// <summary>The rate-limit policies by name.</summary>
    public IReadOnlyDictionary<string, ConfiguredRateLimit> RateLimits { get; }

    /// <summary>Compiles <paramref name="config"/>; route template and ambiguity errors become <see cref="ConfigException"/>s naming <paramref name="source"/>.</summary>
    /// <remarks><paramref name="services"/> gives what distributed policies and metrics need; omitted, neither is available.</remarks>
    public static GatewaySnapshot Build(GatewayConfig config, UpstreamSettings upstreamDefaults, string source, SnapshotServices? services = null)
    {
        services ??= new SnapshotServices();
        var metrics = services.Metrics;
        foreach (var (name, policy) in config.RateLimits)
        {
            if (policy.Distributed && services.RedisStore is null)
            {
                throw new ConfigException(source, ConfigJson.Member("$.rateLimits", name) + ".distributed", "a distributed rate limit needs GATEWAY_REDIS (the Redis that gateway instances share)");
            }
        }

        var clusters = config.Clusters.ToDictionary(
            pair => pair.Key,
            pair => CreateCluster(pair.Key, pair.Value, upstreamDefaults),
            StringComparer.Ordinal);
        var rateLimits = config.RateLimits.ToDictionary(
            pair => pair.Key,
            pair => new ConfiguredRateLimit(pair.Key, pair.Value, services.Clock, services.RedisStore, services.Logger),
            StringComparer.Ordinal);
        try
        {
            var specs = config.Routes.Select((route, index) => new RouteSpec<ProxyRoute>(
                route.Id,
                route.Match.Path,
                route.Match.Methods,
                route.Match.Hosts,
                route.Order,
                new ProxyRoute(route.Id, clusters[route.Cluster], CreateRewrite(route, index, source), CreatePolicies(route, rateLimits, metrics), metrics?.ForRoute(route.Id)))).ToList();
            return new GatewaySnapshot(RouteTable<ProxyRoute>.Build(specs), clusters, rateLimits);
        }
        catch (RouteBuildException ex)
        {
            DisposeAll(clusters.Values, rateLimits.Values);
            throw new ConfigException(source, $"$.routes[{ex.RouteIndex}].match.{ex.Field}", ex.Message);
        }
        catch (ConfigException)
        {
            DisposeAll(clusters.Values, rateLimits.Values);
            throw;
        }
    }

    /// <inheritdoc/>
    public void Dispose() => DisposeAll(Clusters.Values, RateLimits.Values);

    private static Cluster CreateCluster(string id, ClusterConfig config, UpstreamSettings defaults) => new(
        id,
        config.Destinations.Select(d => new Destination(d, defaults)).ToArray(),
        config.LoadBalancing switch
        {
            LoadBalancingMode.PowerOfTwoChoices => new PowerOfTwoChoicesPolicy(),
            LoadBalancingMode.Random => new RandomPolicy(),
            LoadBalancingMode.First => new FirstPolicy(),
            _ => new RoundRobinPolicy(),
        },
        Duration.TryParse(config.Timeout, out var timeout, out _) ? timeout : defaults.Timeout);

    private static PathRewrite? CreateRewrite(RouteConfig route, int index, string source)
    {
        if (route.Rewrite is null)
        {
            return null;
        }

        if (route.Rewrite.StripPrefix is { } prefix)
        {
            return PathRewrite.StripPrefix(prefix);
        }

        if (!RouteTemplate.TryParse(route.Match.Path, out var template, out var error))
        {
            throw new ConfigException(source, $"$.routes[{index}].match.path", error);
        }

        try
        {
            return PathRewrite.Template(route.Rewrite.Path!, template.ParameterNames);
        }
        catch (ArgumentException ex)
        {
            throw new ConfigException(source, $"$.routes[{index}].rewrite.path", ex.Message);
        }
    }

    private static IRoutePolicy[] CreatePolicies(RouteConfig route, Dictionary<string, ConfiguredRateLimit> rateLimits, GatewayMetrics? metrics) =>
        route.Policies?.RateLimit is { Count: > 0 } names
            ? [new RateLimitPolicy(names.Select(name => rateLimits[name]).ToArray(), metrics)]
            : [];

    private static void DisposeAll(IEnumerable<Cluster> clusters, IEnumerable<ConfiguredRateLimit> rateLimits)
    {
        foreach (var cluster in clusters)
        {
            cluster.Dispose();
        }

        foreach (var rateLimit in rateLimits)
        {
            rateLimit.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
