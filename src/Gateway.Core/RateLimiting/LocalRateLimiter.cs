using System.Collections.Concurrent;

namespace Gateway.Core.RateLimiting;

/// <summary>
/// Limits requests per key within one process, without locks: each key's bucket is one <see cref="long"/> (its GCRA
/// theoretical arrival time) changed by compare-and-swap, so threads racing on a key never get more than the capacity
/// plus the permits refilled in the meantime. An existing key is looked up from a span without allocating.
/// </summary>
/// <remarks>
/// Live keys are capped: past the cap, requests for new keys share one overflow bucket under the same rule (counted in
/// <see cref="Overflowed"/>), so a flood of distinct keys stays limited and memory stays bounded. A bucket whose TAT
/// has passed is full, the same as a new one, and <see cref="EvictIdle"/> drops it; a timer on the clock runs it once
/// per full-refill time (at least every second, at most every 10 seconds).
/// </remarks>
public sealed class LocalRateLimiter : IDisposable
{
    private readonly Gcra _gcra;
    private readonly TimeProvider _clock;
    private readonly int _maxKeys;
    private readonly ConcurrentDictionary<string, LocalBucket> _buckets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, LocalBucket>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly LocalBucket _overflow = new(string.Empty);
    private readonly ITimer _sweeper;
    private int _keyCount;
    private long _overflowed;

    /// <summary>Limits each key by <paramref name="rule"/> on <paramref name="clock"/>, with at most <paramref name="maxKeys"/> keys of their own.</summary>
    public LocalRateLimiter(RateLimitRule rule, TimeProvider clock, int maxKeys = 100_000)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentOutOfRangeException.ThrowIfNegative(maxKeys);
        _gcra = new Gcra(rule, clock.TimestampFrequency);
        _clock = clock;
        _maxKeys = maxKeys;
        _lookup = _buckets.GetAlternateLookup<ReadOnlySpan<char>>();
        var sweep = TimeSpan.FromTicks(Math.Clamp(_gcra.ToTimeSpan(_gcra.Tolerance).Ticks, TimeSpan.TicksPerSecond, 10 * TimeSpan.TicksPerSecond));
        _sweeper = clock.CreateTimer(static state => ((LocalRateLimiter)state!).EvictIdle(), this, sweep, sweep);
    }

    /// <summary>Keys that have a bucket of their own.</summary>
    public int KeyCount => Volatile.Read(ref _keyCount);

    /// <summary>Requests for new keys that arrived while the key cap was reached and used the shared overflow bucket.</summary>
    public long Overflowed => Interlocked.Read(ref _overflowed);

    /// <summary>Takes <paramref name="cost"/> permits (between 1 and the rule's capacity) from <paramref name="key"/>'s bucket, if it has them.</summary>
    public RateLimitDecision Acquire(ReadOnlySpan<char> key, int cost = 1)
    {
        _gcra.ThrowIfInvalidCost(cost);
        var now = _clock.GetTimestamp();
        while (true)
        {
            var bucket = Find(key);
            if (_gcra.TryReserve(ref bucket.Tat, now, cost, cost, out var taken))
            {
                return new(taken.Granted > 0, _gcra.Capacity, taken.Remaining, taken.ResetAfter, taken.RetryAfter);
            }

            // Evicted between the lookup and the swap: it was full, so a fresh bucket loses nothing.
            Unregister(bucket);
        }
    }

    /// <summary>Drops the buckets that are full again (their TAT has passed): a new bucket would be the same.</summary>
    public void EvictIdle()
    {
        var now = _clock.GetTimestamp();
        foreach (var (_, bucket) in _buckets)
        {
            var tat = Volatile.Read(ref bucket.Tat);
            if (tat <= now && Interlocked.CompareExchange(ref bucket.Tat, Gcra.Evicted, tat) == tat)
            {
                Unregister(bucket);
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _sweeper.Dispose();

    private LocalBucket Find(ReadOnlySpan<char> key)
    {
        if (_lookup.TryGetValue(key, out var bucket))
        {
            return bucket;
        }

        if (Interlocked.Increment(ref _keyCount) > _maxKeys)
        {
            Interlocked.Decrement(ref _keyCount);
            Interlocked.Increment(ref _overflowed);
            return _overflow;
        }

        var created = new LocalBucket(key.ToString());
        var registered = _buckets.GetOrAdd(created.Key, created);
        if (!ReferenceEquals(registered, created))
        {
            Interlocked.Decrement(ref _keyCount);
        }

        return registered;
    }

    private void Unregister(LocalBucket bucket)
    {
        if (_buckets.TryRemove(new KeyValuePair<string, LocalBucket>(bucket.Key, bucket)))
        {
            Interlocked.Decrement(ref _keyCount);
        }
    }
}
