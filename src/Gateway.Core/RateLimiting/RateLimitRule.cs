namespace Gateway.Core.RateLimiting;

/// <summary>
/// A rate limit: <paramref name="Permits"/> per <paramref name="Period"/> on average, with a bucket of
/// <see cref="Capacity"/> permits that a client may spend at once: <paramref name="Burst"/> when it is positive,
/// otherwise <paramref name="Permits"/>. A burst smaller than the permits smooths traffic (10 per second with
/// burst 2: at most 2 at once, then one every 100 ms); a larger one tolerates spikes.
/// </summary>
public sealed record RateLimitRule(long Permits, TimeSpan Period, long Burst = 0)
{
    /// <summary>Permits refilled per <see cref="Period"/>; positive.</summary>
    public long Permits { get; } = Permits > 0 ? Permits : throw new ArgumentOutOfRangeException(nameof(Permits), Permits, "permits must be positive");

    /// <summary>The time in which <see cref="Permits"/> permits refill; positive.</summary>
    public TimeSpan Period { get; } = Period > TimeSpan.Zero ? Period : throw new ArgumentOutOfRangeException(nameof(Period), Period, "the period must be positive");

    /// <summary>The bucket size when positive; 0 means the bucket holds <see cref="Permits"/>.</summary>
    public long Burst { get; } = Burst >= 0 ? Burst : throw new ArgumentOutOfRangeException(nameof(Burst), Burst, "burst must not be negative");

    /// <summary>The most permits available at once (a full bucket), reported as the limit.</summary>
    public long Capacity => Burst > 0 ? Burst : Permits;

    /// <summary>
    /// One of <paramref name="instances"/> equal shares of this rule: the same permits over <paramref name="instances"/>
    /// times the period (the rate divided without rounding) and the capacity divided, rounded down but at least 1. The
    /// shares together never admit more than the rule, except that each holds 1 permit when the capacity is smaller
    /// than <paramref name="instances"/>.
    /// </summary>
    public RateLimitRule ShareOf(int instances)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(instances);
        return new(Permits, TimeSpan.FromTicks(checked(Period.Ticks * instances)), Math.Max(1, Capacity / instances));
    }
}
