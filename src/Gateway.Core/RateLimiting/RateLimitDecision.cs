namespace Gateway.Core.RateLimiting;

/// <summary>
/// The answer to one request, carrying what the RateLimit headers (draft-ietf-httpapi-ratelimit-headers) need:
/// <paramref name="Limit"/> is the rule's capacity, <paramref name="Remaining"/> the permits still available,
/// <paramref name="ResetAfter"/> the time until the bucket is full again, and, when denied,
/// <paramref name="RetryAfter"/> the time until this request would be allowed. <paramref name="StoreUnavailable"/>
/// marks a denial because the shared store is down (<see cref="RedisFailureMode.FailClosed"/>): answer 503, not 429.
/// </summary>
public readonly record struct RateLimitDecision(
    bool Allowed, long Limit, long Remaining, TimeSpan ResetAfter, TimeSpan RetryAfter, bool StoreUnavailable = false);
