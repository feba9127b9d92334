using Gateway.Core.RateLimiting;

namespace Gateway.Core.Configuration;

/// <summary>A named rate-limit policy: how many requests per period, keyed how, shared how, and what to do when Redis is gone.</summary>
public sealed record RateLimitPolicyConfig
{
    /// <summary>Requests allowed per <see cref="Period"/>.</summary>
    public long Permits { get; set; }

    /// <summary>The window, as a duration ("1s", "1m", "1h").</summary>
    public string Period { get; set; } = "";

    /// <summary>Bucket size when larger than <see cref="Permits"/> (short bursts above the steady rate); 0 means <see cref="Permits"/>.</summary>
    public long Burst { get; set; }

    /// <summary>What partitions the budget.</summary>
    public RateLimitKeyKind Key { get; set; } = RateLimitKeyKind.ClientIp;

    /// <summary>The header whose value is the key, when <see cref="Key"/> is <see cref="RateLimitKeyKind.Header"/>.</summary>
    public string? Header { get; set; }

    /// <summary>The claim whose value is the key, when <see cref="Key"/> is <see cref="RateLimitKeyKind.Claim"/> (e.g. "sub").</summary>
    public string? Claim { get; set; }

    /// <summary>Permits one request takes.</summary>
    public int Cost { get; set; } = 1;

    /// <summary>Whether each route that uses the policy has its own budget, or all of them share one.</summary>
    public RateLimitScope Scope { get; set; } = RateLimitScope.Route;

    /// <summary>True to share the budget across gateway instances through Redis (GATEWAY_REDIS).</summary>
    public bool Distributed { get; set; }

    /// <summary>What a distributed policy does while Redis is unreachable.</summary>
    public RedisFailureMode OnRedisFailure { get; set; } = RedisFailureMode.FailOpen;
}

/// <summary>What partitions a rate-limit budget.</summary>
public enum RateLimitKeyKind
{
    /// <summary>The client's IP address.</summary>
    ClientIp,

    /// <summary>The value of a request header (requests without it share one budget).</summary>
    Header,

    /// <summary>The route alone: every client shares the route's budget.</summary>
    Route,

    /// <summary>One budget for everything the policy applies to.</summary>
    Global,

    /// <summary>The authenticated consumer (only on routes with authentication; applied after it).</summary>
    Consumer,

    /// <summary>A validated token's claim (only on routes with authentication; applied after it; callers without it share one budget).</summary>
    Claim,
}

/// <summary>Whether routes that use one policy share its budget.</summary>
public enum RateLimitScope
{
    /// <summary>Each route has its own budget.</summary>
    Route,

    /// <summary>All routes using the policy draw from one budget.</summary>
    Shared,
}
