using System.Text.Json;
using Gateway.LoadTests.Load;
using Gateway.LoadTests.Recording;
using Gateway.LoadTests.Reports;
using Gateway.LoadTests.Scenarios;

namespace Gateway.LoadTests.Tests;

/// <summary>The reports built from a small recorded run: totals, error accounting and the three formats.</summary>
public sealed class ReportTests
{
    private static readonly LoadStage[] Stages = [new RampStage(10, 100, TimeSpan.FromSeconds(1)), new ConstantRateStage(100, TimeSpan.FromSeconds(2))];

    [Fact]
    public void ExpectedStatusesAreSuccessesAndEverythingElseIsAnError()
    {
        var report = Build();

        Assert.Equal(6, report.Totals.Scheduled);
        Assert.Equal(4, report.Totals.Responses);
        Assert.Equal(3, report.Totals.Succeeded);
        Assert.Equal(3, report.Totals.Errors);
        Assert.Equal(["200", "429", "503", "dropped", "timeout"], report.Totals.Outcomes.Keys);
    }

    [Fact]
    public void SecondsAndStagesSplitTheRun()
    {
        var report = Build();

        Assert.Equal(3, report.Seconds.Count);
        Assert.Equal(2, report.Seconds[0].Responses);
        Assert.Equal(1, report.Seconds[2].Outcomes["timeout"]);
        Assert.Equal(["ramp", "constant"], report.Stages.Select(s => s.Kind));
        Assert.Equal(1, report.Stages[1].StartSecond);
        Assert.Equal(2, report.Stages[0].Responses);
    }

    [Fact]
    public void JsonReportReadsBackTheSameNumbers()
    {
        var report = Build();

        var read = JsonSerializer.Deserialize<LoadReport>(JsonReportWriter.Write(report), JsonReportWriter.Options)!;

        Assert.Equal(report.Totals.Errors, read.Totals.Errors);
        Assert.Equal(report.Latency.P99Ms, read.Latency.P99Ms);
        Assert.Equal(report.Seconds.Count, read.Seconds.Count);
        Assert.Contains("\"p999Ms\"", JsonReportWriter.Write(report), StringComparison.Ordinal);
    }

    [Fact]
    public void HtmlReportIsSelfContainedWithItsFourCharts()
    {
        var html = HtmlReportWriter.Write(Build());

        Assert.Equal(4, CountOf(html, "<svg"));
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("href=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Latency percentiles over time", html, StringComparison.Ordinal);
        Assert.Contains(">timeout<", html, StringComparison.Ordinal);
    }

    [Fact]
    public void MemorySamplesAddAChartAndATableWithTheTrend()
    {
        // Three seconds of run, a sample every 0.25 s: 6 in the second half (too few for a trend) ...
        var samples = Enumerable.Range(0, 12).Select(i => new MemorySample(i * 0.25, 50 + i, 20, 30)).ToList();

        var report = Build(samples);

        Assert.Equal(5, CountOf(HtmlReportWriter.Write(report), "<svg"));
        var markdown = MarkdownReportWriter.Write(report);
        Assert.Contains("## Gateway memory", markdown, StringComparison.Ordinal);
        Assert.Contains("| 3 | 61.0 | 20.0 | 30.0 |", markdown, StringComparison.Ordinal);
        Assert.Contains("Too few samples", markdown, StringComparison.Ordinal);
        Assert.Null(report.MemoryTrend);
        Assert.Equal(4, CountOf(HtmlReportWriter.Write(Build()), "<svg"));
    }

    [Fact]
    public void HtmlReportEscapesText()
    {
        var html = HtmlReportWriter.Write(Build() with { Description = "<b>bold</b> & more" });

        Assert.Contains("&lt;b&gt;bold&lt;/b&gt; &amp; more", html, StringComparison.Ordinal);
    }

    [Fact]
    public void MarkdownReportHasTheSummaryAndOneRowPerSecond()
    {
        var markdown = MarkdownReportWriter.Write(Build());

        Assert.StartsWith("# Load test: test", markdown, StringComparison.Ordinal);
        Assert.Contains("| latency (from intended send time) | 4 |", markdown, StringComparison.Ordinal);
        Assert.Contains("| 2 | 1 | 0 | 1 | timeout: 1 |", markdown, StringComparison.Ordinal);
    }

    private static LoadReport Build(IReadOnlyList<MemorySample>? memory = null)
    {
        var scenario = new Scenario(
            "test", "a test scenario", new GatewaySetup("[]"), new HashSet<int> { 200, 429 },
            static (target, _) => new HttpRequestMessage(HttpMethod.Get, target), static _ => Stages);
        var recorder = new RunRecorder(scenario.ExpectedStatuses, Stages.Length, TimeSpan.FromSeconds(4));
        for (var i = 0; i < 6; i++)
        {
            recorder.RecordScheduled(i < 3 ? 0 : 1, Ms(i * 400));
        }

        recorder.RecordResponse(0, Ms(0), Ms(1), Ms(3), 200);
        recorder.RecordResponse(0, Ms(400), Ms(400), Ms(405), 200);
        recorder.RecordResponse(1, Ms(1200), Ms(1200), Ms(1201), 429);
        recorder.RecordResponse(1, Ms(1600), Ms(1600), Ms(1650), 503);
        recorder.RecordDropped(1, Ms(1700));
        recorder.RecordFailure(1, Ms(2500), "timeout");
        var context = new RunContext("http://127.0.0.1:8080/", "test", DateTimeOffset.UnixEpoch, TimeSpan.FromSeconds(3), new MachineInfo(2, "os", "runtime", 0.5, "note"), null, memory ?? []);
        return ReportBuilder.Build(scenario, Stages, recorder, context);
    }

    private static TimeSpan Ms(double milliseconds) => TimeSpan.FromMilliseconds(milliseconds);

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, string.Empty, StringComparison.Ordinal).Length) / part.Length;
}
