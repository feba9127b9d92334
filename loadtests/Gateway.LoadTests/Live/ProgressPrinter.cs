using System.Globalization;
using Gateway.LoadTests.Load;
using Gateway.LoadTests.Recording;

namespace Gateway.LoadTests.Live;

/// <summary>Live progress: one line per finished second (elapsed, stage, throughput, p50/p99, errors, in flight).</summary>
internal sealed class ProgressPrinter(RunRecorder recorder, RunClock clock, InFlightLimit limit, IReadOnlyList<LoadStage> stages, TextWriter output)
{
    /// <summary>Prints until <paramref name="stop"/> fires.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        var printed = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                for (var finished = (int)clock.Elapsed.TotalSeconds; printed < finished; printed++)
                {
                    await output.WriteLineAsync(Line(printed)).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
    }

    private string Line(int second)
    {
        var seconds = recorder.Seconds;
        var tally = second < seconds.Count ? seconds[second] : new Tally();
        var latency = tally.Latency;
        return string.Create(CultureInfo.InvariantCulture,
            $"[{second + 1,4}s] {StageAt(second),-36} | {tally.Responses,6} resp/s | p50 {Percentile(latency, 50),8} | p99 {Percentile(latency, 99),8} | errors {tally.Errors,5} | in flight {limit.Count}");
    }

    /// <summary>
    /// The percentile in milliseconds, or "n/a": a response finishing at the second's very end may still be recording into
    /// it, and HdrHistogram refuses a percentile while its total count is ahead of its buckets.
    /// </summary>
    private static string Percentile(HdrHistogram.HistogramBase latency, double percentile)
    {
        try
        {
            return Ms(latency.GetValueAtPercentile(percentile));
        }
        catch (ArgumentOutOfRangeException)
        {
            return "n/a";
        }
    }

    private string StageAt(int second)
    {
        var end = TimeSpan.Zero;
        foreach (var stage in stages)
        {
            end += stage.Duration;
            if (second < end.TotalSeconds)
            {
                return stage.Describe();
            }
        }

        return "draining";
    }

    private static string Ms(long microseconds) => string.Create(CultureInfo.InvariantCulture, $"{microseconds / 1000.0:0.00} ms");
}
