using System.Globalization;

namespace Gateway.LoadTests.Reports;

/// <summary>The words and rows both report formats use for the gateway's memory.</summary>
internal static class MemoryText
{
    /// <summary>The most rows a memory table shows; longer runs show every k-th sample.</summary>
    private const int MostRows = 60;

    /// <summary>One sentence on the trend: the slopes over the second half and whether RSS grew or fell beyond the noise.</summary>
    public static string Trend(MemoryTrend? trend)
    {
        if (trend is null)
        {
            return $"Too few samples in the second half for a trend (at least {MemoryTrend.FewestSamples}, one every 5 s).";
        }

        var c = CultureInfo.InvariantCulture;
        var verdict = trend.RssGrowing ? "growing" : trend.RssShrinking ? "shrinking" : "flat within noise";
        var gc = trend.GcHeap is { } heap && trend.GcCommitted is { } committed
            ? string.Create(c, $"; GC heap {Slope(heap)}, GC committed {Slope(committed)}")
            : "; GC figures unavailable";
        return string.Create(c, $"Second half (from {trend.FromSecond:0} s, {trend.Samples} samples): RSS {Slope(trend.Rss)}, {verdict}{gc}.");
    }

    /// <summary>The samples a table shows: all of a short run's, every k-th of a long one's, and always the last.</summary>
    public static IReadOnlyList<MemorySample> Rows(IReadOnlyList<MemorySample> samples)
    {
        var step = Math.Max(1, (int)Math.Ceiling(samples.Count / (double)MostRows));
        return [.. samples.Where((_, i) => i % step == 0 || i == samples.Count - 1)];
    }

    /// <summary>A MiB figure, or "n/a".</summary>
    public static string MiB(double? value) => value?.ToString("0.0", CultureInfo.InvariantCulture) ?? "n/a";

    private static string Slope(MemorySlope slope) =>
        string.Create(CultureInfo.InvariantCulture, $"{slope.MiBPerMinute:+0.000;-0.000} MiB/min (95%: {slope.Low:+0.000;-0.000} to {slope.High:+0.000;-0.000})");
}
