using Gateway.Core.Upstreams;
using Prometheus;

namespace Gateway.Core.Observability;

/// <summary>
/// The gateway's Prometheus metrics on one registry of their own (exposed by the admin listener's /metrics).
/// Labels stay low-cardinality: route ids, method names from a fixed set, status classes, cluster ids.
/// </summary>
public sealed class GatewayMetrics
{
    private readonly Counter _requests;
    private readonly Histogram _duration;
    private readonly Histogram _upstreamDuration;
    private readonly Counter _upstreamErrors;
    private readonly Counter _rateLimitDecisions;
    private readonly Counter _configReloads;
    private readonly Counter _retries;
    private readonly Counter _retriesRefused;
    private readonly Counter _clusterOverflows;
    private readonly Gauge _destinationState;
    private readonly Counter _ejections;
    private readonly Counter _cacheRequests;
    private readonly Counter _cacheCoalesced;
    private readonly Counter _cacheEvictions;
    private readonly Counter _cacheRedisErrors;
    private readonly Gauge _cacheBytes;
    private readonly Gauge _cacheEntries;

    /// <summary>Creates every collector on a fresh registry.</summary>
    public GatewayMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        ProcessMetrics.Register(Registry);
        var factory = Metrics.WithCustomRegistry(Registry);
        var latencyBuckets = Histogram.ExponentialBuckets(0.0001, 2, 18);
        _requests = factory.CreateCounter("gateway_requests_total", "Requests answered, by route, method and status class.", "route", "method", "code");
        _duration = factory.CreateHistogram("gateway_request_duration_seconds", "Time from a complete request head to the end of the response, by route.",
            new HistogramConfiguration { LabelNames = ["route"], Buckets = latencyBuckets });
        _upstreamDuration = factory.CreateHistogram("gateway_upstream_response_seconds", "Time from sending a request upstream to receiving its response head, by route.",
            new HistogramConfiguration { LabelNames = ["route"], Buckets = latencyBuckets });
        _upstreamErrors = factory.CreateCounter("gateway_upstream_errors_total", "Upstream exchanges that failed, by cluster and kind (connect, timeout, reset, other).", "cluster", "kind");
        _rateLimitDecisions = factory.CreateCounter("gateway_rate_limit_decisions_total", "Rate-limit decisions, by policy and decision (allowed, limited, unavailable).", "policy", "decision");
        _retries = factory.CreateCounter("gateway_upstream_retries_total", "Retries and failovers made, by cluster.", "cluster");
        _retriesRefused = factory.CreateCounter("gateway_upstream_retries_refused_total", "Retries and failovers refused by the cluster's retry budget, by cluster.", "cluster");
        _clusterOverflows = factory.CreateCounter("gateway_upstream_overflow_total", "Requests answered 503 at once by a cluster's circuit breaker, by cluster and limit (requests, pending).", "cluster", "limit");
        _destinationState = factory.CreateGauge("gateway_destination_state", "1 for each destination's current state (healthy, unhealthy, ejected), 0 for the others.", "cluster", "destination", "state");
        _ejections = factory.CreateCounter("gateway_destination_ejections_total", "Passive ejections of a destination (outlier detection), by cluster and destination.", "cluster", "destination");
        _cacheRequests = factory.CreateCounter("gateway_cache_requests_total", "Requests on caching routes, by cache and result (hit, miss, stale, bypass).", "cache", "result");
        _cacheCoalesced = factory.CreateCounter("gateway_cache_coalesced_total", "Requests that waited for another request fetching the same entry instead of going upstream, by cache.", "cache");
        _cacheEvictions = factory.CreateCounter("gateway_cache_evictions_total", "Entries evicted to stay within a cache's size, by cache.", "cache");
        _cacheRedisErrors = factory.CreateCounter("gateway_cache_redis_errors_total", "Reads and writes of a cache's shared Redis tier that failed (the cache goes on in memory), by cache.", "cache");
        _cacheBytes = factory.CreateGauge("gateway_cache_bytes", "Bytes a cache holds in memory, by cache.", "cache");
        _cacheEntries = factory.CreateGauge("gateway_cache_entries", "Keys a cache holds in memory, by cache.", "cache");
        _configReloads = factory.CreateCounter("gateway_config_reloads_total", "Configuration reloads, by result (ok, rejected).", "result");
        RateLimitDegraded = factory.CreateCounter("gateway_rate_limit_degraded_decisions_total", "Decisions of distributed rate limits taken locally while Redis was unreachable, by policy.", "policy");
        RateLimitInstances = factory.CreateGauge("gateway_rate_limit_instances", "Gateway instances sharing the Redis of distributed rate limits, as this one last learned from it.",
            new GaugeConfiguration { SuppressInitialValue = true });
        InFlight = factory.CreateGauge("gateway_requests_in_flight", "Requests being processed.");
        ConnectionsAccepted = factory.CreateCounter("gateway_connections_accepted_total", "Client connections accepted.");
        ConnectionsClosed = factory.CreateCounter("gateway_connections_closed_total", "Client connections closed.");
        ConnectionsOpen = factory.CreateGauge("gateway_connections_open", "Client connections open.");
        Http2ConnectionsAccepted = factory.CreateCounter("gateway_http2_connections_accepted_total", "Client connections accepted that speak HTTP/2 (h2c, or h2 by ALPN); also counted in gateway_connections_accepted_total.");
        ConnectionsRefused = factory.CreateCounter("gateway_connections_refused_total", "Client connections refused with 503 by a connection cap (total, per_client).", "limit");
        BytesReceived = factory.CreateCounter("gateway_received_bytes_total", "Bytes received from clients (request heads and bodies).");
        BytesSent = factory.CreateCounter("gateway_sent_bytes_total", "Bytes sent to clients (response heads and bodies).");
        WebSocketTunnels = factory.CreateGauge("gateway_websocket_tunnels", "WebSocket tunnels open.");
        WebSocketTunnelsOpened = factory.CreateCounter("gateway_websocket_tunnels_opened_total", "WebSocket tunnels opened (upgrades an upstream accepted with 101).");
        AccessLogDropped = factory.CreateCounter("gateway_access_log_dropped_total", "Access log lines dropped because the log queue was full.");
        NoRoute = new RouteMetrics("none", this);
    }

    /// <summary>The registry to export.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Metrics of requests that matched no route (404, 405, or refused before routing).</summary>
    public RouteMetrics NoRoute { get; }

    /// <summary>Requests in flight.</summary>
    public Gauge InFlight { get; }

    /// <summary>Accepted connections.</summary>
    public Counter ConnectionsAccepted { get; }

    /// <summary>Closed connections.</summary>
    public Counter ConnectionsClosed { get; }

    /// <summary>Open connections.</summary>
    public Gauge ConnectionsOpen { get; }

    /// <summary>Accepted connections that speak HTTP/2.</summary>
    public Counter Http2ConnectionsAccepted { get; }

    /// <summary>Connections refused by a cap, by <c>limit</c>: <c>total</c> or <c>per_client</c>.</summary>
    public Counter ConnectionsRefused { get; }

    /// <summary>Bytes in from clients.</summary>
    public Counter BytesReceived { get; }

    /// <summary>Bytes out to clients.</summary>
    public Counter BytesSent { get; }

    /// <summary>Open WebSocket tunnels.</summary>
    public Gauge WebSocketTunnels { get; }

    /// <summary>WebSocket tunnels opened.</summary>
    public Counter WebSocketTunnelsOpened { get; }

    /// <summary>Access log lines dropped on overflow.</summary>
    public Counter AccessLogDropped { get; }

    /// <summary>Decisions of distributed rate limits taken while Redis was unreachable (brought up to date at each scrape).</summary>
    public Counter RateLimitDegraded { get; }

    /// <summary>Gateway instances sharing Redis, as this one last learned (brought up to date at each scrape; absent without Redis).</summary>
    public Gauge RateLimitInstances { get; }

    /// <summary>The decision counters of rate-limit policy <paramref name="policy"/>.</summary>
    public RateLimitCounters RateLimitCounters(string policy) => new(
        _rateLimitDecisions.WithLabels(policy, "allowed"),
        _rateLimitDecisions.WithLabels(policy, "limited"),
        _rateLimitDecisions.WithLabels(policy, "unavailable"));

    /// <summary>The metrics of the cache named <paramref name="cache"/>.</summary>
    public CacheCounters CacheCounters(string cache) => new(
        _cacheRequests.WithLabels(cache, "hit"),
        _cacheRequests.WithLabels(cache, "miss"),
        _cacheRequests.WithLabels(cache, "stale"),
        _cacheRequests.WithLabels(cache, "bypass"),
        _cacheCoalesced.WithLabels(cache),
        _cacheEvictions.WithLabels(cache),
        _cacheRedisErrors.WithLabels(cache),
        _cacheBytes.WithLabels(cache),
        _cacheEntries.WithLabels(cache));

    /// <summary>The per-route view for <paramref name="routeId"/>.</summary>
    public RouteMetrics ForRoute(string routeId) => new(routeId, this);

    /// <summary>Counts one configuration reload, applied or refused.</summary>
    public void ConfigReloaded(bool ok) => _configReloads.WithLabels(ok ? "ok" : "rejected").Inc();

    /// <summary>Counts one failed upstream exchange.</summary>
    public void UpstreamError(string clusterId, UpstreamErrorKind kind) =>
        _upstreamErrors.WithLabels(clusterId, UpstreamErrorKinds.Label(kind)).Inc();

    /// <summary>Counts one retry (or failover) of a request to <paramref name="clusterId"/>, made or refused by its retry budget.</summary>
    public void Retry(string clusterId, bool refused) => (refused ? _retriesRefused : _retries).WithLabels(clusterId).Inc();

    /// <summary>Counts one request refused by <paramref name="clusterId"/>'s circuit breaker because of <paramref name="limit"/> (requests, pending).</summary>
    public void ClusterOverflow(string clusterId, string limit) => _clusterOverflows.WithLabels(clusterId, limit).Inc();

    /// <summary>Shows the current state and ejection count of <paramref name="destination"/> in <paramref name="clusterId"/>.</summary>
    public void DestinationStateChanged(string clusterId, Destination destination)
    {
        var state = destination.Health.State;
        foreach (var each in Enum.GetValues<DestinationState>())
        {
            _destinationState.WithLabels(clusterId, destination.Address, each.ToString().ToLowerInvariant()).Set(each == state ? 1 : 0);
        }

        _ejections.WithLabels(clusterId, destination.Address).IncTo(destination.Health.TimesEjected);
    }

    internal Counter.Child RequestsChild(string route, string method, string code) => _requests.WithLabels(route, method, code);

    internal Histogram.Child DurationChild(string route) => _duration.WithLabels(route);

    internal Histogram.Child UpstreamDurationChild(string route) => _upstreamDuration.WithLabels(route);
}
