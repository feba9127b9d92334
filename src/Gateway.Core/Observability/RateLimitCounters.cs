using Prometheus;

namespace Gateway.Core.Observability;

/// <summary>One rate-limit policy's decision counters.</summary>
public sealed record RateLimitCounters(Counter.Child Allowed, Counter.Child Limited, Counter.Child Unavailable);
