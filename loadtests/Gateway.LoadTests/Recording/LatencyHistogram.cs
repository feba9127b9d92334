using HdrHistogram;

namespace Gateway.LoadTests.Recording;

/// <summary>Creates the run's HdrHistograms: microseconds from 1 µs to 1 minute at 3 significant digits, safe to record from many threads.</summary>
internal static class LatencyHistogram
{
    /// <summary>The largest latency recorded exactly; anything longer is recorded as this.</summary>
    public const long HighestMicroseconds = 60_000_000;

    /// <summary>A new empty concurrent histogram.</summary>
    public static LongConcurrentHistogram Create() => new(1, HighestMicroseconds, 3);

    /// <summary>Records <paramref name="duration"/> in microseconds, clamped into the trackable range.</summary>
    public static void Record(HistogramBase histogram, TimeSpan duration) =>
        histogram.RecordValue(Math.Clamp((long)Math.Round(duration.TotalMicroseconds), 1, HighestMicroseconds));
}
