namespace Gateway.Core.RateLimiting;

/// <summary>What a <see cref="DistributedRateLimiter"/> answers while its Redis store is unreachable.</summary>
public enum RedisFailureMode
{
    /// <summary>Keep limiting, each instance on its own, with a <see cref="LocalRateLimiter"/> of the same rule.</summary>
    FailOpen,

    /// <summary>Deny every request with <see cref="RateLimitDecision.StoreUnavailable"/> set (the caller answers 503).</summary>
    FailClosed,
}
