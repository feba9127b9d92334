namespace Gateway.Core.RateLimiting;

/// <summary>How many permits an instance keeps reserved per key: enough for a few store round trips at the key's recent rate, between <see cref="Cold"/> and <see cref="Max"/>.</summary>
/// <remarks>
/// A lease reserves its next block once it holds less than half its target, and that half must last the round trip
/// the block takes (factor 2); a safety factor of 2 covers a rate or a round trip up to twice the estimate. The rate
/// is the permits spent since the last block arrived over the time since, an interval shorter than a quarter round
/// trip counting as a quarter (a short burst is not a rate): so a target is at most 16 times what was spent, and a
/// key that cools down shrinks back at its next refill. <see cref="Max"/> is 1% of the rule (of the smaller of permits and capacity), at least 1: it bounds what
/// an instance holds, hence the overshoot.
/// </remarks>
internal readonly record struct BlockSizing(long Cold, long Max)
{
    /// <summary>The target covers this many round trips at the recent rate (2 for the prefetch, × 2 for safety).</summary>
    public const int Headroom = 4;

    /// <summary>The sizing of <paramref name="rule"/>: at most 1% of it, at most <paramref name="coldLimit"/> for a cold key.</summary>
    public static BlockSizing For(RateLimitRule rule, int coldLimit)
    {
        var max = Math.Max(1, Math.Min(rule.Permits, rule.Capacity) / 100);
        return new(Math.Min(max, coldLimit), max);
    }

    /// <summary>The permits to hold after <paramref name="consumed"/> were spent in <paramref name="elapsed"/>, with round trips of <paramref name="roundTrip"/>.</summary>
    public long Target(long consumed, TimeSpan elapsed, TimeSpan roundTrip)
    {
        var window = Math.Max(Math.Max(elapsed.Ticks, roundTrip.Ticks / 4), 1);
        return (long)Math.Clamp(Math.Ceiling(Headroom * (double)consumed * roundTrip.Ticks / window), Cold, Max);
    }
}
