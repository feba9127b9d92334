using System.Text;
using Gateway.Core.Configuration;
using Gateway.Core.Observability;
using Gateway.Core.Pipeline;
using Gateway.Core.Policies;
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
    private GatewaySnapshot(RouteTable<GatewayRoute> routes, IReadOnlyDictionary<string, Cluster> clusters, IReadOnlyDictionary<string, ConfiguredRateLimit> rateLimits)
    {
        Routes = routes;
        Clusters = clusters;
        RateLimits = rateLimits;
    }

    /// <summary>The compiled router.</summary>
    public RouteTable<GatewayRoute> Routes { get; }

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
            var specs = config.Routes.Select((route, index) => new RouteSpec<GatewayRoute>(
                route.Id,
                route.Match.Path,
                route.Match.Methods,
                route.Match.Hosts,
                route.Order,
                CreateRoute(route, index, source, clusters, rateLimits, metrics))).ToList();
            return new GatewaySnapshot(RouteTable<GatewayRoute>.Build(specs), clusters, rateLimits);
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

        try
        {
            return PathRewrite.Template(route.Rewrite.Path!, ParameterNames(route, index, source));
        }
        catch (ArgumentException ex)
        {
            throw new ConfigException(source, $"$.routes[{index}].rewrite.path", ex.Message);
        }
    }

    private static GatewayRoute CreateRoute(
        RouteConfig route, int index, string source, Dictionary<string, Cluster> clusters, Dictionary<string, ConfiguredRateLimit> rateLimits, GatewayMetrics? metrics)
    {
        var parameters = ParameterNames(route, index, source);
        var steps = new List<RouteStep>();
        if (route.Transforms is { } transforms)
        {
            var at = $"$.routes[{index}].transforms";
            steps.Add(new HeaderTransformStep(
                CreateTransform(transforms.Request, parameters, at + ".request", source), CreateTransform(transforms.Response, parameters, at + ".response", source)));
        }

        if (route.Policies?.RateLimit is { Count: > 0 } names)
        {
            steps.Add(new RateLimitStep([.. names.Select(name => rateLimits[name])], metrics));
        }

        return route.Respond is { } respond
            ? new GatewayRoute(route.Id, [.. steps], CreateDirectResponse(respond, parameters, $"$.routes[{index}].respond", source), metrics?.ForRoute(route.Id))
            : new GatewayRoute(route.Id, [.. steps], new ForwardTarget(clusters[route.Cluster!], CreateRewrite(route, index, source)), metrics?.ForRoute(route.Id));
    }

    private static IReadOnlyList<string> ParameterNames(RouteConfig route, int index, string source) =>
        RouteTemplate.TryParse(route.Match.Path, out var template, out var error)
            ? template.ParameterNames
            : throw new ConfigException(source, $"$.routes[{index}].match.path", error);

    private static DirectResponseHandler CreateDirectResponse(RespondConfig respond, IReadOnlyList<string> parameters, string at, string source)
    {
        var fields = respond.Headers.Select(pair => Field(pair.Key, pair.Value, parameters, ConfigJson.Member(at + ".headers", pair.Key), source)).ToList();
        if (respond.ContentType is { } contentType)
        {
            fields.Add(Field("Content-Type", contentType, [], at + ".contentType", source));
        }

        return new DirectResponseHandler(respond.Status, fields, respond.Body is null ? default : Encoding.UTF8.GetBytes(respond.Body));
    }

    private static HeaderTransform CreateTransform(HeaderTransformConfig? config, IReadOnlyList<string> parameters, string at, string source) => new(
        config?.Set.Select(pair => Field(pair.Key, pair.Value, parameters, ConfigJson.Member(at + ".set", pair.Key), source)).ToList() ?? [],
        config?.Remove.Select(name => Encoding.ASCII.GetBytes(name)).ToList() ?? []);

    private static (byte[] Name, ValueTemplate Value) Field(string name, string value, IReadOnlyList<string> parameters, string at, string source)
    {
        try
        {
            return (Encoding.ASCII.GetBytes(name), ValueTemplate.Parse(value, parameters));
        }
        catch (ArgumentException ex)
        {
            throw new ConfigException(source, at, ex.Message);
        }
    }

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
