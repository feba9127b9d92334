namespace Gateway.LoadTests.Reports;

/// <summary>
/// How the gateway's memory moved over the second half of the run: least-squares slopes in MiB per minute with their 95%
/// intervals. Resident memory that grows while the GC's figures stay flat is native memory; the RSS trend is flat (within
/// noise) when its interval reaches zero. Samples follow each other closely and RSS moves in steps, so the interval is
/// a guide, not a test: read the chart beside it.
/// </summary>
/// <param name="FromSecond">Where the second half starts.</param>
/// <param name="Samples">The samples in it.</param>
/// <param name="Rss">The slope of resident memory.</param>
/// <param name="GcHeap">The slope of the managed heap after collections, null without the gateway's metrics.</param>
/// <param name="GcCommitted">The slope of the GC's committed memory, null without the gateway's metrics.</param>
internal sealed record MemoryTrend(double FromSecond, int Samples, MemorySlope Rss, MemorySlope? GcHeap, MemorySlope? GcCommitted)
{
    /// <summary>The fewest samples a trend is computed from.</summary>
    public const int FewestSamples = 8;

    /// <summary>True when resident memory grew by more than the noise: its interval lies wholly above zero.</summary>
    public bool RssGrowing => Rss.Low > 0;

    /// <summary>True when resident memory fell by more than the noise: its interval lies wholly below zero.</summary>
    public bool RssShrinking => Rss.High < 0;

    /// <summary>The trend of the samples taken in the second half of a run lasting <paramref name="durationSeconds"/>; null with too few.</summary>
    public static MemoryTrend? Of(IReadOnlyList<MemorySample> samples, double durationSeconds)
    {
        var from = durationSeconds / 2;
        var half = samples.Where(s => s.Second >= from).ToList();
        if (half.Count < FewestSamples)
        {
            return null;
        }

        var complete = half.Where(s => s.GcHeapMiB is not null && s.GcCommittedMiB is not null).ToList();
        var withGc = complete.Count == half.Count;
        return new MemoryTrend(
            from,
            half.Count,
            MemorySlope.Fit(half, s => s.RssMiB),
            withGc ? MemorySlope.Fit(half, s => s.GcHeapMiB!.Value) : null,
            withGc ? MemorySlope.Fit(half, s => s.GcCommittedMiB!.Value) : null);
    }
}
