using Gateway.Core.Caching;
using Gateway.Core.Observability;
using Gateway.Core.RateLimiting;
using Microsoft.Extensions.Logging;

namespace Gateway.Core.Snapshots;

/// <summary>The running process's shared services a configuration snapshot is compiled against.</summary>
public sealed record SnapshotServices
{
    /// <summary>The metrics, or null when they are off.</summary>
    public GatewayMetrics? Metrics { get; init; }

    /// <summary>The Redis store distributed rate limits use, or null without GATEWAY_REDIS.</summary>
    public IRedisRateStore? RedisStore { get; init; }

    /// <summary>The Redis tier shared caches keep their entries in, or null without GATEWAY_REDIS.</summary>
    public RedisCacheTier? CacheTier { get; init; }

    /// <summary>The clock of the rate limiters and the caches.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Where components report state changes (e.g. Redis lost and back), or null.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>Where TLS termination reports certificates replaced on disk, or null.</summary>
    public ILogger? TlsLogger { get; init; }
}
