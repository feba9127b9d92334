using Prometheus;

namespace Gateway.Core.Observability;

/// <summary>One response cache's metrics: its results, coalesced waits, evictions, shared-tier failures and what it holds.</summary>
public sealed record CacheCounters(
    Counter.Child Hits, Counter.Child Misses, Counter.Child Stale, Counter.Child Bypassed, Counter.Child Coalesced, Counter.Child Evictions,
    Counter.Child RedisErrors, Gauge.Child Bytes, Gauge.Child Entries);
