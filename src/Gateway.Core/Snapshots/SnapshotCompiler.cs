using System.Text.Json;
using System.Text;
using Gateway.Core.Authentication;
using Gateway.Core.Caching;
using Gateway.Core.Configuration;
using Gateway.Core.Pipeline;
using Gateway.Core.Policies;
using Gateway.Core.Routing;
using Gateway.Core.Tls;
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

        foreach (var (name, cache) in config.Caches)
        {
            if (cache.Shared && services.CacheTier is null)
            {
                throw new ConfigException(source, ConfigJson.Member("$.caches", name) + ".shared", "a shared cache needs GATEWAY_REDIS (the Redis that gateway instances share)");
            }
        }

        var caches = config.Caches.ToDictionary(
            pair => pair.Key,
            pair => previous?.Caches.GetValueOrDefault(pair.Key) is { } kept && kept.Settings.Signature == CacheSettings.SignatureOf(pair.Value)
                ? kept
                : new ResponseCache(new CacheSettings(pair.Key, pair.Value), services.Clock, services.Metrics?.CacheCounters(pair.Key), pair.Value.Shared ? services.CacheTier : null),
            StringComparer.Ordinal);
        var created = new List<Destination>();
        ServerCertificates? tls = null;
        var authentication = new Dictionary<string, CompiledAuthentication>(StringComparer.Ordinal);
        var clusters = new Dictionary<string, Cluster>(StringComparer.Ordinal);
        try
        {
            foreach (var (name, cluster) in config.Clusters)
            {
                clusters[name] = CreateCluster(name, cluster, upstreamDefaults, source, services, previous, created);
            }
        }
        catch
        {
            GatewaySnapshot.Close(clusters.Values, created, []);
            throw;
        }

        var rateLimits = config.RateLimits.ToDictionary(
            pair => pair.Key,
            pair => previous?.RateLimits.GetValueOrDefault(pair.Key) is { } kept && kept.Definition == pair.Value
                ? kept
                : new ConfiguredRateLimit(pair.Key, pair.Value, services.Clock, services.RedisStore, services.Logger),
            StringComparer.Ordinal);
        try
        {
            tls = config.Tls is { } section ? new ServerCertificates(section, ConfigFolder(source), source, services.TlsLogger) : null;
            foreach (var (name, entry) in config.Authentication)
            {
                var definition = JsonSerializer.Serialize(entry, ConfigJsonContext.Default.AuthenticationConfig) + KeyFilesHash(entry, source);
                authentication[name] = previous?.Authentication.GetValueOrDefault(name) is { } kept && kept.Definition == definition
                    ? kept
                    : new CompiledAuthentication(definition, CreateAuthenticator(name, entry, source));
            }

            var policies = new RoutePolicies(
                config.IpFilter is { } filter ? new IpFilter(filter) : null,
                [.. config.Routes.SelectMany(route => route.Policies?.IdentityHeaders.Keys ?? Enumerable.Empty<string>()).Distinct(StringComparer.OrdinalIgnoreCase).Select(Encoding.ASCII.GetBytes)],
                authentication.ToDictionary(entry => entry.Key, entry => entry.Value.Authenticator, StringComparer.Ordinal),
                config.Cors.ToDictionary(cors => cors.Key, cors => new CorsPolicy(cors.Value), StringComparer.Ordinal),
                rateLimits,
                caches);
            var specs = config.Routes.Select((route, index) => new RouteSpec<GatewayRoute>(
                route.Id,
                route.Match.Path,
                route.Match.Methods,
                route.Match.Hosts,
                route.Order,
                RouteCompiler.Compile(route, index, source, clusters, policies, services.Metrics))).ToList();
            var (routes, frontends) = FrontendCompiler.Compile(config, specs);
            return new GatewaySnapshot(routes, clusters, rateLimits, authentication, tls, frontends) { Caches = caches, Config = config };
        }
        catch (Exception ex)
        {
            tls?.Dispose();
            GatewaySnapshot.StopAuthentication(authentication.Values.Where(entry => previous?.Authentication.Values.Contains(entry) != true));

            // Nothing compiled for the refused configuration may outlive it: the pools and limiters it created close here.
            GatewaySnapshot.Close(clusters.Values, created, rateLimits.Values.Where(limit => previous?.RateLimits.Values.Contains(limit) != true));
            if (ex is RouteBuildException build)
            {
                throw new ConfigException(source, $"$.routes[{build.RouteIndex}].match.{build.Field}", build.Message);
            }

            throw;
        }
    }

    /// <summary>The folder relative file paths of the configuration <paramref name="source"/> start from: the file's own.</summary>
    private static string ConfigFolder(string source) => Path.GetDirectoryName(Path.GetFullPath(source)) ?? ".";

    /// <summary>The hash of a JWT entry's key files, so that a reload after a key file changed compiles the entry again; empty for other entries.</summary>
    private static string KeyFilesHash(AuthenticationConfig entry, string source)
    {
        var folder = ConfigFolder(source);
        var contents = new StringBuilder();
        foreach (var path in entry.Jwt?.Keys ?? [])
        {
            try
            {
                contents.Append(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Path.Combine(folder, path)))));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Unreadable: the entry is compiled again, and says so.
                contents.Append("unreadable");
            }
        }

        return contents.Length == 0 ? "" : "|" + contents;
    }

    /// <summary>Compiles the authentication entry <paramref name="name"/>; key files that cannot be read are a configuration error.</summary>
    private static IAuthenticator CreateAuthenticator(string name, AuthenticationConfig entry, string source)
    {
        if (entry.ApiKey is { } apiKey)
        {
            return new ApiKeyAuthenticator(apiKey);
        }

        try
        {
            var jwt = new JwtAuthenticator(name, entry.Jwt!, ConfigFolder(source));

            // The first key set is awaited here, off the request path, so the configuration serves with keys from its first request.
            jwt.Keys.WaitForFirstFetch(TimeSpan.FromSeconds(5));
            return jwt;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new ConfigException(source, ConfigJson.Member("$.authentication", name) + ".jwt.keys", $"the key files could not be read as RSA or EC public keys: {ex.Message}");
        }
    }

    private static Cluster CreateCluster(
        string id, ClusterConfig config, UpstreamSettings defaults, string source, SnapshotServices services, GatewaySnapshot? previous, List<Destination> created)
    {
        var at = ConfigJson.Member("$.clusters", id);
        var pool = PoolSettings.From(defaults) with
        {
            MaxConnections = config.Connections?.Max ?? defaults.MaxConnectionsPerDestination,
            IdleTimeout = DurationOr(config.Connections?.IdleTimeout, defaults.PooledConnectionIdleTimeout),
            Lifetime = DurationOr(config.Connections?.Lifetime, Timeout.InfiniteTimeSpan),
        };
        var tls = CreateTls(config.Tls, at + ".tls", source);
        var running = previous?.Clusters.GetValueOrDefault(id)?.Destinations ?? [];
        var destinations = config.Destinations.Select(destination =>
        {
            var address = Destination.AddressOf(destination.Url);
            if (running.FirstOrDefault(d => d.Address == address && d.Pool == pool && d.Tls.Equals(tls)) is { } kept)
            {
                return kept;
            }

            var fresh = new Destination(address, pool, tls);
            created.Add(fresh);
            return fresh;
        }).ToArray();
        var balancing = config.LoadBalancing;
        var settings = CreateSettings(config, defaults);
        Action<Destination>? stateChanged = services.Metrics is { } metrics ? destination => metrics.DestinationStateChanged(id, destination) : null;
        var cluster = new Cluster(
            id,
            destinations,
            [.. config.Destinations.Select(destination => destination.Weight)],
            balancing.Policy switch
            {
                LoadBalancingMode.PowerOfTwoChoices => new PowerOfTwoChoicesPolicy(),
                LoadBalancingMode.Random => new RandomPolicy(),
                LoadBalancingMode.First => new FirstPolicy(),
                LoadBalancingMode.LeastRequests => new LeastRequestsPolicy(),
                LoadBalancingMode.ConsistentHash => new ConsistentHashPolicy(),
                _ => new RoundRobinPolicy(),
            },
            settings,
            balancing.Key is { } key ? new HashKey(key, balancing.Header ?? balancing.Cookie ?? "") : null,
            stateChanged)
        {
            Http2 = settings.Protocol == UpstreamProtocol.Http1 ? null
                : Http2Upstream.For(previous?.Clusters.GetValueOrDefault(id)?.Http2, settings.Protocol, pool, tls),
        };
        foreach (var destination in destinations)
        {
            stateChanged?.Invoke(destination);
        }

        return cluster;
    }

    private static ClusterSettings CreateSettings(ClusterConfig config, UpstreamSettings defaults)
    {
        var passive = config.Health?.Passive ?? new PassiveHealthConfig();
        var active = config.Health?.Active;
        var budget = config.RetryBudget ?? new RetryBudgetConfig();
        var limits = config.Limits ?? new ClusterLimitsConfig();
        return new ClusterSettings
        {
            Timeout = DurationOr(config.Timeout, defaults.Timeout),
            Protocol = UpstreamConfigValidator.TryParseProtocol(config.Protocol, out var protocol) ? protocol : UpstreamProtocol.Http1,
            Outliers = new OutlierSettings(
                passive.ConsecutiveFailures,
                passive.FailurePercent,
                DurationOr(passive.Window, TimeSpan.Zero),
                passive.MinRequests,
                DurationOr(passive.EjectionTime, TimeSpan.Zero),
                passive.MaxEjectedPercent,
                [.. passive.FailureStatuses]),
            Probes = active is null ? null : new HealthProbeSettings(
                active.Path,
                DurationOr(active.Interval, TimeSpan.Zero),
                DurationOr(active.Timeout, TimeSpan.Zero),
                active.HealthyAfter,
                active.UnhealthyAfter,
                StatusRange.TryParse(active.ExpectedStatus, out var range) ? range : default),
            MaxRequests = limits.MaxRequests,
            MaxPendingRequests = limits.MaxPendingRequests,
            RetryBudgetPercent = budget.Percent,
            RetryBudgetMinConcurrency = budget.MinConcurrency,
        };
    }

    /// <summary>The cluster's TLS, its files read now; a file that cannot be read is a configuration error at <paramref name="at"/>.</summary>
    private static UpstreamTls CreateTls(UpstreamTlsConfig? config, string at, string source)
    {
        if (config is null)
        {
            return UpstreamTls.Default;
        }

        try
        {
            return new UpstreamTls(config.Ca, config.Sni, config.ClientCert, config.ClientKey);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new ConfigException(source, at, $"the TLS files could not be read: {ex.Message}");
        }
    }

    /// <summary>A validated duration setting, or <paramref name="fallback"/> when it is not set.</summary>
    internal static TimeSpan DurationOr(string? value, TimeSpan fallback) => Duration.TryParse(value, out var duration, out _) ? duration : fallback;
}
