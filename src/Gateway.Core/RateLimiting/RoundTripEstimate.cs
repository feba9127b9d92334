namespace Gateway.Core.RateLimiting;

/// <summary>
/// The store's round-trip time, smoothed for sizing blocks: a slower sample counts at once (a block must not run dry
/// when the store slows down), a faster one moves the estimate a quarter of the way.
/// </summary>
internal sealed class RoundTripEstimate
{
    private long _ticks;

    /// <summary>The current estimate; zero before the first sample.</summary>
    public TimeSpan Current => TimeSpan.FromTicks(Volatile.Read(ref _ticks));

    /// <summary>Adds one measured round trip. Samples racing from several keys may overwrite each other: one is lost, no more.</summary>
    public void Observe(TimeSpan sample)
    {
        var current = Volatile.Read(ref _ticks);
        Volatile.Write(ref _ticks, sample.Ticks >= current ? sample.Ticks : current - ((current - sample.Ticks) / 4));
    }
}
