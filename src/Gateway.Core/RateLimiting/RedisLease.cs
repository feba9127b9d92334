namespace Gateway.Core.RateLimiting;

/// <summary>
/// The permits one instance has reserved from a key's shared bucket and not spent yet, the reservation under way,
/// the target it tops up to (sized from what was spent since the last block arrived), and what the store said last:
/// how many permits it had left, when it will be full again, and until when it refuses. Times are
/// <see cref="TimeSpan"/> ticks since the owning limiter started.
/// </summary>
internal sealed class RedisLease(string key, long coldTarget)
{
    private long _held;
    private long _lowWater = coldTarget / 2;
    private long _storeRemaining;
    private long _fullAt;
    private long _deniedUntil;
    private Task? _refill;

    // Written only by the reservation under way (one at a time): held right after the last block arrived, and when.
    private long _level;
    private long _arrivedAt;

    /// <summary>The key of the shared bucket.</summary>
    public string Key { get; } = key;

    /// <summary>Reserved permits not spent yet.</summary>
    public long Held => Volatile.Read(ref _held);

    /// <summary>True while less than half the target is held: time to reserve the next block.</summary>
    public bool RunningLow => Volatile.Read(ref _held) < Volatile.Read(ref _lowWater);

    /// <summary>The reservation under way, completed once its permits are added (or the store failed); null when none is.</summary>
    public Task? Refill => Volatile.Read(ref _refill);

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

    /// <summary>Makes <paramref name="refill"/> the reservation under way unless one already is; <paramref name="running"/> is the one under way.</summary>
    public bool TryBeginRefill(Task refill, out Task running)
    {
        running = Interlocked.CompareExchange(ref _refill, refill, null) ?? refill;
        return ReferenceEquals(running, refill);
    }

    /// <summary>Ends the reservation under way, so that the next one can begin.</summary>
    public void EndRefill() => Volatile.Write(ref _refill, null);

    /// <summary>
    /// Sets the target from the permits spent since the last block arrived, as <paramref name="sizing"/> says, and
    /// returns it; called by the reservation under way only.
    /// </summary>
    public long Plan(TimeSpan now, TimeSpan roundTrip, BlockSizing sizing)
    {
        var target = sizing.Target(_level - Held, TimeSpan.FromTicks(now.Ticks - _arrivedAt), roundTrip);
        Volatile.Write(ref _lowWater, target / 2);
        return target;
    }

    /// <summary>Adds the permits the store granted at <paramref name="now"/> and remembers its view of the bucket; called by the reservation under way only.</summary>
    public void Record(RateReservation reservation, TimeSpan now)
    {
        Volatile.Write(ref _storeRemaining, reservation.Remaining);
        Volatile.Write(ref _fullAt, (now + reservation.ResetAfter).Ticks);
        Volatile.Write(ref _deniedUntil, reservation.Granted > 0 ? 0 : (now + reservation.RetryAfter).Ticks);
        _level = Interlocked.Add(ref _held, reservation.Granted);
        _arrivedAt = now.Ticks;
    }

    /// <summary>
    /// True once the shared bucket has had time to fill up again and no reservation is under way: permits still held
    /// are then stale (spending them would add to a full bucket), so the lease can go.
    /// </summary>
    public bool IsIdle(TimeSpan now) => now.Ticks >= Volatile.Read(ref _fullAt) && Refill is null;

    private static TimeSpan Until(long moment, TimeSpan now) => TimeSpan.FromTicks(Math.Max(0, moment - now.Ticks));
}
