using HdrHistogram;

namespace Gateway.LoadTests.Recording;

/// <summary>
/// Creates the run's HdrHistograms: microseconds from 1 µs to 1 minute, safe to record from many threads; 3 significant
/// digits for the whole run and its stages, 2 for each second (about 20 KB instead of 140 KB, so an hour of seconds stays small).
/// </summary>
internal static class LatencyHistogram
{
    /// <summary>The largest latency recorded exactly; anything longer is recorded as this.</summary>
    public const long HighestMicroseconds = 60_000_000;

    /// <summary>A new empty concurrent histogram at 3 significant digits.</summary>
    public static LongConcurrentHistogram Create() => new(1, HighestMicroseconds, 3);

    /// <summary>A new empty concurrent histogram at 2 significant digits (1% precision), for one second of the run.</summary>
    public static LongConcurrentHistogram CreateCoarse() => new(1, HighestMicroseconds, 2);

    /// <summary>Records <paramref name="duration"/> in microseconds, clamped into the trackable range.</summary>
    public static void Record(HistogramBase histogram, TimeSpan duration) =>
        histogram.RecordValue(Math.Clamp((long)Math.Round(duration.TotalMicroseconds), 1, HighestMicroseconds));
}
