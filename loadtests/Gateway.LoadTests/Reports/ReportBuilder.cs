using System.Globalization;
using Gateway.LoadTests.Load;
using Gateway.LoadTests.Recording;
using Gateway.LoadTests.Scenarios;

namespace Gateway.LoadTests.Reports;

/// <summary>Turns what a run recorded into a <see cref="LoadReport"/>.</summary>
internal static class ReportBuilder
{
    /// <summary>The report of <paramref name="scenario"/> run as <paramref name="stages"/>.</summary>
    public static LoadReport Build(Scenario scenario, IReadOnlyList<LoadStage> stages, RunRecorder recorder, RunContext context)
    {
        var total = recorder.Total;
        var succeeded = total.Statuses.Where(s => recorder.IsExpected(s.Key)).Sum(s => s.Value);
        var seconds = Math.Max(context.Duration.TotalSeconds, 0.001);
        return new LoadReport(
            scenario.Name,
            scenario.Description,
            context.Target,
            context.SystemUnderTest,
            context.StartedAt,
            Math.Round(context.Duration.TotalSeconds, 3),
            context.Machine,
            [.. scenario.ExpectedStatuses.Order()],
            new RunTotals(total.Scheduled, total.Responses, succeeded, total.Errors, total.Dropped, total.Responses / seconds, Outcomes(total)),
            LatencySummary.From(total.Latency),
            LatencySummary.From(recorder.ServiceTime),
            LatencySummary.From(recorder.SendLag),
            Stages(stages, recorder.Stages),
            [.. recorder.Seconds.Select(Second)],
            context.Gateway,
            context.Memory,
            MemoryTrend.Of(context.Memory, context.Duration.TotalSeconds));
    }

    private static StageSummary[] Stages(IReadOnlyList<LoadStage> stages, IReadOnlyList<Tally> tallies)
    {
        var start = 0.0;
        var summaries = new StageSummary[stages.Count];
        for (var i = 0; i < stages.Count; i++)
        {
            var (stage, tally) = (stages[i], tallies[i]);
            var length = stage.Duration.TotalSeconds;
            summaries[i] = new StageSummary(stage.Kind, stage.Describe(), start, length, tally.Scheduled, tally.Responses, tally.Errors, tally.Responses / length, LatencySummary.From(tally.Latency));
            start += length;
        }

        return summaries;
    }

    private static SecondSample Second(Tally tally, int second)
    {
        var latency = LatencySummary.From(tally.Latency);
        return new SecondSample(second, tally.Scheduled, tally.Responses, tally.Errors, Outcomes(tally), latency.P50Ms, latency.P90Ms, latency.P99Ms, latency.MaxMs);
    }

    private static SortedDictionary<string, long> Outcomes(Tally tally)
    {
        var outcomes = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (status, count) in tally.Statuses)
        {
            outcomes[status.ToString(CultureInfo.InvariantCulture)] = count;
        }

        foreach (var (kind, count) in tally.Failures)
        {
            outcomes[kind] = count;
        }

        if (tally.Dropped > 0)
        {
            outcomes["dropped"] = tally.Dropped;
        }

        return outcomes;
    }
}
