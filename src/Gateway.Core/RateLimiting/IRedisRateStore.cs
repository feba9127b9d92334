namespace Gateway.Core.RateLimiting;

/// <summary>Shared GCRA buckets, one per key, on a clock that every gateway instance reads (Redis server time).</summary>
public interface IRedisRateStore
{
    /// <summary>
    /// Atomically takes as many permits as are available from <paramref name="key"/>'s bucket under
    /// <paramref name="rule"/>, up to <paramref name="want"/>, provided at least <paramref name="need"/> are available;
    /// otherwise takes none. Throws when the store cannot be reached or does not answer in time.
    /// </summary>
    Task<RateReservation> ReserveAsync(string key, RateLimitRule rule, long want, long need, CancellationToken cancellationToken);

    /// <summary>Completes when the store answers; throws when it cannot be reached.</summary>
    Task PingAsync(CancellationToken cancellationToken);

    /// <summary>
    /// How many gateway instances share the store, this one included, as last learned from it: at least 1, and 1 until
    /// the store first answers. While the store is unreachable it stays what it was when the store last answered.
    /// </summary>
    int InstanceCount { get; }
}
