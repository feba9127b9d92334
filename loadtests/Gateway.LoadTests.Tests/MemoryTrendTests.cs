using Gateway.LoadTests.Recording;
using Gateway.LoadTests.Reports;

namespace Gateway.LoadTests.Tests;

/// <summary>The soak's verdict: memory that only wobbles is flat, memory that climbs is growing, memory that falls is shrinking, measured over the second half.</summary>
public sealed class MemoryTrendTests
{
    [Fact]
    public void MemoryThatWobblesAroundALevelIsFlat()
    {
        // An hour, a sample every 5 s: a climb in the first half (warming up), then ±2 MiB of steps around 80 MiB.
        var samples = Hour(second => second < 1800 ? 40 + (second / 45) : 80 + ((int)(second / 60) % 2 == 0 ? -2 : 2));

        var trend = MemoryTrend.Of(samples, 3600)!;

        Assert.Equal(1800, trend.FromSecond);
        Assert.Equal(360, trend.Samples);
        Assert.False(trend.RssGrowing, $"slope {trend.Rss}");
        Assert.False(trend.RssShrinking, $"slope {trend.Rss}");
        Assert.InRange(trend.Rss.MiBPerMinute, -0.02, 0.02);
    }

    [Fact]
    public void MemoryClimbingAQuarterMiBAMinuteIsGrowing()
    {
        var samples = Hour(second => 75 + (0.25 * second / 60) + ((int)(second / 5) % 2 == 0 ? 0.5 : -0.5));

        var trend = MemoryTrend.Of(samples, 3600)!;

        Assert.True(trend.RssGrowing);
        Assert.InRange(trend.Rss.MiBPerMinute, 0.24, 0.26);
        Assert.InRange(trend.GcHeap!.MiBPerMinute, -0.001, 0.001);
    }

    [Fact]
    public void MemoryFallingAfterAPeakIsShrinkingNotFlat()
    {
        var samples = Hour(second => 170 - (0.4 * second / 60) + ((int)(second / 5) % 2 == 0 ? 3 : -3));

        var trend = MemoryTrend.Of(samples, 3600)!;

        Assert.True(trend.RssShrinking);
        Assert.False(trend.RssGrowing);
        Assert.InRange(trend.Rss.MiBPerMinute, -0.41, -0.39);
        Assert.Contains(", shrinking;", MemoryText.Trend(trend), StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutTheGatewaysMetricsOnlyResidentMemoryHasATrend()
    {
        var samples = Hour(_ => 60).Select(s => s with { GcHeapMiB = null }).ToList();

        var trend = MemoryTrend.Of(samples, 3600)!;

        Assert.Null(trend.GcHeap);
        Assert.Null(trend.GcCommitted);
        Assert.False(trend.RssGrowing);
    }

    [Fact]
    public void TheGarbageCollectorsFiguresAreReadFromPrometheusText()
    {
        const string text = "# HELP dotnet_gc_heap_size_bytes x\n# TYPE dotnet_gc_heap_size_bytes gauge\ndotnet_gc_heap_size_bytes 12345678\ndotnet_gc_heap_size_bytes_other 1\ndotnet_gc_committed_bytes 2.5E+07\n";

        Assert.Equal(12345678, MemorySampler.Value(text, "dotnet_gc_heap_size_bytes"));
        Assert.Equal(25_000_000, MemorySampler.Value(text, "dotnet_gc_committed_bytes"));
        Assert.Null(MemorySampler.Value(text, "process_working_set_bytes"));
    }

    /// <summary>An hour of samples every 5 s with RSS from <paramref name="rss"/>, the GC heap flat at 30 MiB and 40 committed.</summary>
    private static List<MemorySample> Hour(Func<double, double> rss) =>
        [.. Enumerable.Range(0, 720).Select(i => new MemorySample(i * 5, rss(i * 5), 30, 40))];
}
