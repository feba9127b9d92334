namespace Gateway.Core.RateLimiting;

/// <summary>
/// The generic cell rate algorithm of one rule, in the units of one clock. A bucket is a single number, its
/// theoretical arrival time (TAT): the moment it will be full again. Taking n permits moves the TAT n emission
/// intervals (period / permits) later, which is allowed while the TAT stays within capacity intervals of now;
/// refill needs no work because time catching up with the TAT is the refill. The Lua script of
/// <see cref="RedisRateStore"/> is this algorithm in microseconds.
/// </summary>
internal readonly struct Gcra
{
    /// <summary>The TAT of a bucket dropped by eviction: nothing can be taken from it any more.</summary>
    public const long Evicted = long.MaxValue;

    private readonly long _frequency;
    private readonly long _exactLimit;

    /// <summary>Expresses <paramref name="rule"/> in units of which <paramref name="frequency"/> make a second.</summary>
    public Gcra(RateLimitRule rule, long frequency)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frequency);
        var period = (Int128)rule.Period.Ticks * frequency;
        var perPermit = (Int128)rule.Permits * TimeSpan.TicksPerSecond;

        // Rounded up, so that rounding never lets more through than the rule says.
        var interval = (period + perPermit - 1) / perPermit;
        var tolerance = interval * rule.Capacity;
        if (tolerance > long.MaxValue / 4)
        {
            throw new ArgumentOutOfRangeException(nameof(rule), rule, "the rule's full refill time is too long");
        }

        _frequency = frequency;
        _exactLimit = (long.MaxValue - frequency) / TimeSpan.TicksPerSecond;
        Interval = (long)interval;
        Capacity = rule.Capacity;
        Tolerance = (long)tolerance;
    }

    /// <summary>The emission interval: the time one permit takes to refill.</summary>
    public long Interval { get; }

    /// <summary>The most permits a full bucket holds.</summary>
    public long Capacity { get; }

    /// <summary>Capacity × interval: the time an empty bucket takes to fill.</summary>
    public long Tolerance { get; }

    /// <summary>Rejects a request cost that is not between 1 and the capacity (it could never be granted).</summary>
    public void ThrowIfInvalidCost(long cost)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cost);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(cost, Capacity);
    }

    /// <summary>
    /// Takes as many permits as are available at <paramref name="now"/>, up to <paramref name="want"/>, provided at
    /// least <paramref name="need"/> are, by one compare-and-swap of <paramref name="tat"/> (retried when another
    /// thread won). Returns false when the bucket was evicted.
    /// </summary>
    public bool TryReserve(ref long tat, long now, long want, long need, out RateReservation reservation)
    {
        var seen = Volatile.Read(ref tat);
        while (seen != Evicted)
        {
            var backlog = Math.Max(seen, now) - now;
            var available = Math.Max(0, (Tolerance - backlog) / Interval);
            if (available < need)
            {
                reservation = new(0, available, ToTimeSpan(backlog), ToTimeSpan(backlog + (need * Interval) - Tolerance));
                return true;
            }

            var granted = Math.Min(want, available);
            var next = now + backlog + (granted * Interval);
            var witnessed = Interlocked.CompareExchange(ref tat, next, seen);
            if (witnessed == seen)
            {
                reservation = new(granted, available - granted, ToTimeSpan(next - now), TimeSpan.Zero);
                return true;
            }

            seen = witnessed;
        }

        reservation = default;
        return false;
    }

    /// <summary>Converts a duration in clock units to a <see cref="TimeSpan"/>, rounded up.</summary>
    public TimeSpan ToTimeSpan(long units) => TimeSpan.FromTicks(units <= _exactLimit
        ? ((units * TimeSpan.TicksPerSecond) + _frequency - 1) / _frequency
        : (long)((((Int128)units * TimeSpan.TicksPerSecond) + _frequency - 1) / _frequency));
}
