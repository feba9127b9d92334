using Gateway.Core.Configuration;
using Gateway.Core.Pipeline;
using Gateway.Core.Policies;
using Gateway.Core.Routing;
using Gateway.Core.Upstreams;
using Gateway.Core.Upstreams.LoadBalancing;

namespace Gateway.Core.Snapshots;

/// <summary>
/// Compiles a validated configuration into a <see cref="GatewaySnapshot"/>. Compiled to succeed a running snapshot, it
/// carries over the destinations (with their connection pools) whose cluster and URL did not change, and the rate limits
/// (with their counts) whose name and definition did not change.
/// </summary>
public static class SnapshotCompiler
{
    /// <summary>Compiles <paramref name="config"/>; route template and ambiguity errors become <see cref="ConfigException"/>s naming <paramref name="source"/>.</summary>
    /// <remarks>
    /// <paramref name="services"/> gives what distributed policies and metrics need; omitted, neither is available. With
    /// <paramref name="previous"/>, what did not change is taken from it rather than created; nothing of it is closed here.
    /// </remarks>
    public static GatewaySnapshot Compile(
        GatewayConfig config, UpstreamSettings upstreamDefaults, string source, SnapshotServices? services = null, GatewaySnapshot? previous = null)
    {
        services ??= new SnapshotServices();
        foreach (var (name, policy) in config.RateLimits)
        {
            if (policy.Distributed && services.RedisStore is null)
            {
                throw new ConfigException(source, ConfigJson.Member("$.rateLimits", name) + ".distributed", "a distributed rate limit needs GATEWAY_REDIS (the Redis that gateway instances share)");
            }
        }

        var created = new List<Destination>();
        var clusters = config.Clusters.ToDictionary(
            pair => pair.Key,
            pair => CreateCluster(pair.Key, pair.Value, upstreamDefaults, previous, created),
            StringComparer.Ordinal);
        var rateLimits = config.RateLimits.ToDictionary(
            pair => pair.Key,
            pair => previous?.RateLimits.GetValueOrDefault(pair.Key) is { } kept && kept.Definition == pair.Value
                ? kept
                : new ConfiguredRateLimit(pair.Key, pair.Value, services.Clock, services.RedisStore, services.Logger),
            StringComparer.Ordinal);
        try
        {
            var specs = config.Routes.Select((route, index) => new RouteSpec<GatewayRoute>(
                route.Id,
                route.Match.Path,
                route.Match.Methods,
                route.Match.Hosts,
                route.Order,
                RouteCompiler.Compile(route, index, source, clusters, rateLimits, services.Metrics))).ToList();
            return new GatewaySnapshot(RouteTable<GatewayRoute>.Build(specs), clusters, rateLimits);
        }
        catch (Exception ex)
        {
            // Nothing compiled for the refused configuration may outlive it: the pools and limiters it created close here.
            GatewaySnapshot.Close(created, rateLimits.Values.Where(limit => previous?.RateLimits.Values.Contains(limit) != true));
            if (ex is RouteBuildException build)
            {
                throw new ConfigException(source, $"$.routes[{build.RouteIndex}].match.{build.Field}", build.Message);
            }

            throw;
        }
    }

    private static Cluster CreateCluster(string id, ClusterConfig config, UpstreamSettings defaults, GatewaySnapshot? previous, List<Destination> created)
    {
        var running = previous?.Clusters.GetValueOrDefault(id)?.Destinations ?? [];
        var destinations = config.Destinations.Select(url =>
        {
            if (running.FirstOrDefault(d => d.Address == Destination.AddressOf(url)) is { } kept)
            {
                return kept;
            }

            var destination = new Destination(url, defaults);
            created.Add(destination);
            return destination;
        }).ToArray();
        return new Cluster(
            id,
            destinations,
            config.LoadBalancing switch
            {
                LoadBalancingMode.PowerOfTwoChoices => new PowerOfTwoChoicesPolicy(),
                LoadBalancingMode.Random => new RandomPolicy(),
                LoadBalancingMode.First => new FirstPolicy(),
                _ => new RoundRobinPolicy(),
            },
            Duration.TryParse(config.Timeout, out var timeout, out _) ? timeout : defaults.Timeout);
    }
}
