namespace Gateway.Core.RateLimiting;

/// <summary>
/// The permits one instance has reserved from a key's shared bucket and not spent yet, with what the store said
/// last: how many permits it had left, when it will be full again, and until when it refuses. Times are
/// <see cref="TimeSpan"/> ticks since the owning limiter started.
/// </summary>
internal sealed class RedisLease(string key)
{
    private long _held;
    private long _storeRemaining;
    private long _fullAt;
    private long _deniedUntil;

    /// <summary>The key of the shared bucket.</summary>
    public string Key { get; } = key;

    /// <summary>Admits one reservation at a time per key: concurrent requests wait for it instead of reserving too.</summary>
    public SemaphoreSlim Refill { get; } = new(1, 1);

    /// <summary>Reserved permits not spent yet.</summary>
    public long Held => Volatile.Read(ref _held);

    /// <summary>
    /// Answers without a round trip when it can: allowed if <paramref name="cost"/> permits are held (taken by
    /// compare-and-swap), denied while the store's last refusal lasts.
    /// </summary>
    public bool TryServe(long cost, TimeSpan now, long limit, out RateLimitDecision decision)
    {
        var held = Volatile.Read(ref _held);
        while (held >= cost)
        {
            var seen = Interlocked.CompareExchange(ref _held, held - cost, held);
            if (seen == held)
            {
                decision = new(true, limit, held - cost + Volatile.Read(ref _storeRemaining), Until(Volatile.Read(ref _fullAt), now), TimeSpan.Zero);
                return true;
            }

            held = seen;
        }

        var deniedUntil = Volatile.Read(ref _deniedUntil);
        if (now.Ticks < deniedUntil)
        {
            decision = new(false, limit, held + Volatile.Read(ref _storeRemaining), Until(Volatile.Read(ref _fullAt), now), Until(deniedUntil, now));
            return true;
        }

        decision = default;
        return false;
    }

    /// <summary>Adds the permits the store granted at <paramref name="now"/> and remembers its view of the bucket.</summary>
    public void Record(RateReservation reservation, TimeSpan now)
    {
        Volatile.Write(ref _storeRemaining, reservation.Remaining);
        Volatile.Write(ref _fullAt, (now + reservation.ResetAfter).Ticks);
        Volatile.Write(ref _deniedUntil, reservation.Granted > 0 ? 0 : (now + reservation.RetryAfter).Ticks);
        Interlocked.Add(ref _held, reservation.Granted);
    }

    /// <summary>
    /// True once the shared bucket has had time to fill up again and no reservation is running: permits still held
    /// are then stale (spending them would add to a full bucket), so the lease can go.
    /// </summary>
    public bool IsIdle(TimeSpan now) => now.Ticks >= Volatile.Read(ref _fullAt) && Refill.CurrentCount == 1;

    private static TimeSpan Until(long moment, TimeSpan now) => TimeSpan.FromTicks(Math.Max(0, moment - now.Ticks));
}
