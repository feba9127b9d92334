namespace Gateway.Core.RateLimiting;

/// <summary>One key's GCRA bucket in a <see cref="LocalRateLimiter"/>: its theoretical arrival time, in clock ticks.</summary>
internal sealed class LocalBucket(string key)
{
    /// <summary>The key under which the bucket is registered (empty for the overflow bucket).</summary>
    public string Key { get; } = key;

    /// <summary>The theoretical arrival time; <see cref="Gcra.Evicted"/> once evicted. A field, changed only by compare-and-swap.</summary>
    public long Tat;
}
