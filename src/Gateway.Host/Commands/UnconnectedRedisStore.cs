using Gateway.Core.RateLimiting;

namespace Gateway.Host.Commands;

/// <summary>The Redis store <c>gateway validate</c> compiles distributed rate limits against: it never connects, and nothing calls it.</summary>
internal sealed class UnconnectedRedisStore : IRedisRateStore
{
    /// <inheritdoc/>
    public int InstanceCount => 1;

    /// <inheritdoc/>
    public Task<RateReservation> ReserveAsync(string key, RateLimitRule rule, long want, long need, CancellationToken cancellationToken) =>
        Task.FromException<RateReservation>(new InvalidOperationException("gateway validate does not connect to Redis"));

    /// <inheritdoc/>
    public Task PingAsync(CancellationToken cancellationToken) => Task.FromException(new InvalidOperationException("gateway validate does not connect to Redis"));
}
