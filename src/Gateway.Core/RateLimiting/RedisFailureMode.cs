namespace Gateway.Core.RateLimiting;

/// <summary>What a <see cref="DistributedRateLimiter"/> answers while its Redis store is unreachable.</summary>
public enum RedisFailureMode
{
    /// <summary>
    /// Keep limiting, each instance on its own, with a <see cref="LocalRateLimiter"/> of its share of the rule: the rule
    /// divided by the instances that shared Redis when it last answered.
    /// </summary>
    FailOpen,

    /// <summary>Deny every request with <see cref="RateLimitDecision.StoreUnavailable"/> set (the caller answers 503).</summary>
    FailClosed,
}
