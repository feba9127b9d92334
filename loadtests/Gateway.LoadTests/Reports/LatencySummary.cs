using HdrHistogram;

namespace Gateway.LoadTests.Reports;

/// <summary>The usual percentiles of a latency histogram, in milliseconds.</summary>
internal sealed record LatencySummary(long Count, double MeanMs, double P50Ms, double P90Ms, double P99Ms, double P999Ms, double MaxMs)
{
    /// <summary>Summarizes a histogram of microseconds.</summary>
    public static LatencySummary From(HistogramBase histogram) => histogram.TotalCount == 0
        ? new(0, 0, 0, 0, 0, 0, 0)
        : new(
            histogram.TotalCount,
            histogram.GetMean() / 1000,
            Ms(histogram, 50),
            Ms(histogram, 90),
            Ms(histogram, 99),
            Ms(histogram, 99.9),
            histogram.GetMaxValue() / 1000.0);

    private static double Ms(HistogramBase histogram, double percentile) => histogram.GetValueAtPercentile(percentile) / 1000.0;
}
