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

    /// <summary>Creates every collector on a fresh registry.</summary>
    public GatewayMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        var latencyBuckets = Histogram.ExponentialBuckets(0.0001, 2, 18);
        _requests = factory.CreateCounter("gateway_requests_total", "Requests answered, by route, method and status class.", "route", "method", "code");
        _duration = factory.CreateHistogram("gateway_request_duration_seconds", "Time from a complete request head to the end of the response, by route.",
            new HistogramConfiguration { LabelNames = ["route"], Buckets = latencyBuckets });
        _upstreamDuration = factory.CreateHistogram("gateway_upstream_response_seconds", "Time from sending a request upstream to receiving its response head, by route.",
            new HistogramConfiguration { LabelNames = ["route"], Buckets = latencyBuckets });
        _upstreamErrors = factory.CreateCounter("gateway_upstream_errors_total", "Upstream exchanges that failed, by cluster and kind (connect, timeout, reset, other).", "cluster", "kind");
        _rateLimitDecisions = factory.CreateCounter("gateway_rate_limit_decisions_total", "Rate-limit decisions, by policy and decision (allowed, limited, unavailable).", "policy", "decision");
        _configReloads = factory.CreateCounter("gateway_config_reloads_total", "Configuration reloads, by result (ok, rejected).", "result");
        RateLimitDegraded = factory.CreateCounter("gateway_rate_limit_degraded_decisions_total", "Decisions of distributed rate limits taken locally while Redis was unreachable, by policy.", "policy");
        InFlight = factory.CreateGauge("gateway_requests_in_flight", "Requests being processed.");
        ConnectionsAccepted = factory.CreateCounter("gateway_connections_accepted_total", "Client connections accepted.");
        ConnectionsClosed = factory.CreateCounter("gateway_connections_closed_total", "Client connections closed.");
        ConnectionsOpen = factory.CreateGauge("gateway_connections_open", "Client connections open.");
        ConnectionsRefused = factory.CreateCounter("gateway_connections_refused_total", "Client connections refused with 503 by a connection cap (total, per_client).", "limit");
        BytesReceived = factory.CreateCounter("gateway_received_bytes_total", "Bytes received from clients (request heads and bodies).");
        BytesSent = factory.CreateCounter("gateway_sent_bytes_total", "Bytes sent to clients (response heads and bodies).");
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

    /// <summary>Connections refused by a cap, by <c>limit</c>: <c>total</c> or <c>per_client</c>.</summary>
    public Counter ConnectionsRefused { get; }

    /// <summary>Bytes in from clients.</summary>
    public Counter BytesReceived { get; }

    /// <summary>Bytes out to clients.</summary>
    public Counter BytesSent { get; }

    /// <summary>Access log lines dropped on overflow.</summary>
    public Counter AccessLogDropped { get; }

    /// <summary>Decisions of distributed rate limits taken while Redis was unreachable (brought up to date at each scrape).</summary>
    public Counter RateLimitDegraded { get; }

    /// <summary>The decision counters of rate-limit policy <paramref name="policy"/>.</summary>
    public RateLimitCounters RateLimitCounters(string policy) => new(
        _rateLimitDecisions.WithLabels(policy, "allowed"),
        _rateLimitDecisions.WithLabels(policy, "limited"),
        _rateLimitDecisions.WithLabels(policy, "unavailable"));

    /// <summary>The per-route view for <paramref name="routeId"/>.</summary>
    public RouteMetrics ForRoute(string routeId) => new(routeId, this);

    /// <summary>Counts one configuration reload, applied or refused.</summary>
    public void ConfigReloaded(bool ok) => _configReloads.WithLabels(ok ? "ok" : "rejected").Inc();

    /// <summary>Counts one failed upstream exchange.</summary>
    public void UpstreamError(string clusterId, UpstreamErrorKind kind) =>
        _upstreamErrors.WithLabels(clusterId, UpstreamErrorKinds.Label(kind)).Inc();

    internal Counter.Child RequestsChild(string route, string method, string code) => _requests.WithLabels(route, method, code);

    internal Histogram.Child DurationChild(string route) => _duration.WithLabels(route);

    internal Histogram.Child UpstreamDurationChild(string route) => _upstreamDuration.WithLabels(route);
}
