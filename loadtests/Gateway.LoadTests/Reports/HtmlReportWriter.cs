using System.Globalization;
using System.Text;
using Gateway.LoadTests.Reports.Charts;

namespace Gateway.LoadTests.Reports;

/// <summary>
/// Writes a report as one self-contained HTML page: summary tables and inline SVG charts (latency percentiles over
/// time, throughput against the schedule, responses by outcome, errors by kind). No script, no external resource:
/// it renders offline in any browser.
/// </summary>
internal static class HtmlReportWriter
{
    private const string Style = """
        body { font-family: system-ui, sans-serif; margin: 24px auto; max-width: 1000px; color: #222; }
        h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 17px; margin-top: 28px; }
        p.meta { color: #555; margin: 2px 0; font-size: 13px; }
        table { border-collapse: collapse; font-size: 13px; margin: 8px 0; }
        th, td { border: 1px solid #ddd; padding: 4px 8px; } td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
        th { background: #f3f3f3; } .cards { display: flex; gap: 12px; flex-wrap: wrap; margin: 16px 0; }
        .card { border: 1px solid #ddd; border-radius: 6px; padding: 8px 14px; min-width: 110px; }
        .card b { display: block; font-size: 20px; } .card span { color: #666; font-size: 12px; }
        .bad b { color: #c62828; } svg { width: 100%; height: auto; } .note { color: #666; font-size: 12px; }
        """;

    /// <summary>The report as an HTML page.</summary>
    public static string Write(LoadReport report)
    {
        var html = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        var t = report.Totals;
        html.Append(c, $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Load test: {E(report.Scenario)}</title><style>{Style}</style></head><body>");
        html.Append(c, $"<h1>Load test: {E(report.Scenario)}</h1><p class=\"meta\">{E(report.Description)}</p>");
        html.Append(c, $"<p class=\"meta\">Started {report.StartedAt:yyyy-MM-dd HH:mm:ss} UTC · {report.DurationSeconds:0.#} s · target {E(report.Target)} · {E(report.SystemUnderTest)}</p>");
        html.Append(c, $"<p class=\"meta\">{report.Machine.Cores} cores · {E(report.Machine.Os)} · {E(report.Machine.Runtime)} · load average {report.Machine.LoadAverage?.ToString("0.##", c) ?? "unknown"} at start · {E(report.Machine.Note)}</p>");

        html.Append("<div class=\"cards\">");
        Card(html, Format.Count(t.Scheduled), "requests");
        Card(html, Format.Count(t.ResponsesPerSecond), "responses/s");
        Card(html, Format.Count(t.Succeeded), "succeeded (" + string.Join(", ", report.ExpectedStatuses) + ")");
        Card(html, $"{Format.Count(t.Errors)} ({Format.Percent(t.Errors, t.Scheduled)})", "errors", t.Errors > 0);
        Card(html, Format.Ms(report.Latency.P50Ms) + " ms", "p50 latency");
        Card(html, Format.Ms(report.Latency.P99Ms) + " ms", "p99 latency");
        Card(html, Format.Ms(report.Latency.P999Ms) + " ms", "p99.9 latency");
        Card(html, Format.Ms(report.Latency.MaxMs) + " ms", "max latency");
        html.Append("</div>");

        Charts(html, report);
        Tables(html, report);
        html.Append("</body></html>");
        return html.ToString();
    }

    private static void Charts(StringBuilder html, LoadReport report)
    {
        var seconds = report.Seconds;
        html.Append("<h2>Latency percentiles over time</h2>");
        html.Append(SvgLineChart.Render(
            [
                new ChartSeries("p50", "#1565c0", [.. seconds.Select(s => s.P50Ms)]),
                new ChartSeries("p90", "#2e7d32", [.. seconds.Select(s => s.P90Ms)]),
                new ChartSeries("p99", "#ef6c00", [.. seconds.Select(s => s.P99Ms)]),
                new ChartSeries("max", "#c62828", [.. seconds.Select(s => s.MaxMs)], Dashed: true),
            ],
            "ms (log scale)",
            logarithmic: true));
        html.Append("<p class=\"note\">Responses completed in each second; latency counts from each request's intended send time.</p>");

        html.Append("<h2>Throughput</h2>");
        html.Append(SvgLineChart.Render(
            [
                new ChartSeries("responses/s", "#1565c0", [.. seconds.Select(s => (double)s.Responses)]),
                new ChartSeries("due/s (schedule)", "#9e9e9e", [.. seconds.Select(s => (double)s.Scheduled)], Dashed: true),
            ],
            "requests per second",
            logarithmic: false));

        if (report.Memory.Count > 0)
        {
            html.Append("<h2>Gateway memory</h2>");
            html.Append(SvgLineChart.Render(
                [
                    new ChartSeries("RSS", "#6a1b9a", PerSecond(report.Memory, seconds.Count, m => m.RssMiB)),
                    new ChartSeries("GC committed", "#00838f", PerSecond(report.Memory, seconds.Count, m => m.GcCommittedMiB ?? 0)),
                    new ChartSeries("GC heap after collection", "#9e9d24", PerSecond(report.Memory, seconds.Count, m => m.GcHeapMiB ?? 0), Dashed: true),
                ],
                "MiB",
                logarithmic: false));
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"note\">{E(MemoryText.Trend(report.MemoryTrend))} Sampled every 5 s.</p>");
        }

        var outcomes = report.Totals.Outcomes.Keys.ToList();
        html.Append("<h2>Responses by outcome</h2>");
        html.Append(SvgStackedBarChart.Render([.. outcomes.Select(o => Series(o, seconds))], seconds.Count, "per second"));

        var expected = report.ExpectedStatuses.Select(s => s.ToString(CultureInfo.InvariantCulture)).ToHashSet(StringComparer.Ordinal);
        var errors = outcomes.Where(o => !expected.Contains(o)).Select(o => Series(o, seconds)).ToList();
        html.Append("<h2>Errors</h2>");
        html.Append(SvgStackedBarChart.Render(errors.Count > 0 ? errors : [new ChartSeries("no errors", "#c62828", [])], seconds.Count, "errors per second"));
        if (errors.Count == 0)
        {
            html.Append("<p class=\"note\">No errors in this run: every request got an expected status.</p>");
        }
    }

    private static void Tables(StringBuilder html, LoadReport report)
    {
        var c = CultureInfo.InvariantCulture;
        html.Append("<h2>Latency (ms)</h2><table><tr><th>measure</th><th class=\"n\">count</th><th class=\"n\">mean</th><th class=\"n\">p50</th><th class=\"n\">p90</th><th class=\"n\">p99</th><th class=\"n\">p99.9</th><th class=\"n\">max</th></tr>");
        LatencyRow(html, "latency (from intended send time)", report.Latency);
        LatencyRow(html, "service time (from actual send)", report.ServiceTime);
        LatencyRow(html, "send lag (client behind schedule)", report.SendLag);
        html.Append("</table>");

        html.Append("<h2>Stages</h2><table><tr><th>stage</th><th class=\"n\">from</th><th class=\"n\">requests</th><th class=\"n\">resp/s</th><th class=\"n\">errors</th><th class=\"n\">p50</th><th class=\"n\">p90</th><th class=\"n\">p99</th><th class=\"n\">p99.9</th><th class=\"n\">max</th></tr>");
        foreach (var s in report.Stages)
        {
            html.Append(c, $"<tr><td>{E(s.Description)}</td><td class=\"n\">{s.StartSecond:0.#} s</td><td class=\"n\">{Format.Count(s.Scheduled)}</td><td class=\"n\">{Format.Count(s.ResponsesPerSecond)}</td><td class=\"n\">{Format.Count(s.Errors)}</td>{LatencyCells(s.Latency)}</tr>");
        }

        html.Append("</table><h2>Outcomes</h2><table><tr><th>outcome</th><th class=\"n\">count</th><th class=\"n\">share</th></tr>");
        foreach (var (outcome, count) in report.Totals.Outcomes)
        {
            html.Append(c, $"<tr><td><span style=\"color:{OutcomeColors.For(outcome)}\">■</span> {E(outcome)}</td><td class=\"n\">{Format.Count(count)}</td><td class=\"n\">{Format.Percent(count, report.Totals.Scheduled)}</td></tr>");
        }

        html.Append("</table>");
        if (report.Gateway is { } g)
        {
            html.Append(c, $"<h2>Gateway process</h2><p>CPU {g.CpuSeconds:0.00} s during the load ({g.CpuMicrosecondsPerRequest:0.#} µs per response), peak RSS {g.PeakRssMiB:0} MiB.</p>");
        }
    }

    /// <summary>One value per second: the latest sample taken by then (the first sample before it).</summary>
    private static double[] PerSecond(IReadOnlyList<MemorySample> samples, int seconds, Func<MemorySample, double> value)
    {
        var values = new double[seconds];
        var next = 0;
        for (var second = 0; second < seconds; second++)
        {
            while (next + 1 < samples.Count && samples[next + 1].Second <= second)
            {
                next++;
            }

            values[second] = value(samples[next]);
        }

        return values;
    }

    private static ChartSeries Series(string outcome, IReadOnlyList<SecondSample> seconds) =>
        new(outcome, OutcomeColors.For(outcome), [.. seconds.Select(s => (double)s.Outcomes.GetValueOrDefault(outcome))]);

    private static void Card(StringBuilder html, string value, string label, bool bad = false) =>
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"card{(bad ? " bad" : string.Empty)}\"><b>{E(value)}</b><span>{E(label)}</span></div>");

    private static void LatencyRow(StringBuilder html, string name, LatencySummary l) =>
        html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(name)}</td><td class=\"n\">{Format.Count(l.Count)}</td><td class=\"n\">{Format.Ms(l.MeanMs)}</td>{LatencyCells(l)}</tr>");

    private static string LatencyCells(LatencySummary l) =>
        string.Concat(new[] { l.P50Ms, l.P90Ms, l.P99Ms, l.P999Ms, l.MaxMs }.Select(v => $"<td class=\"n\">{Format.Ms(v)}</td>"));

    private static string E(string text) => SvgCanvas.Escape(text);
}
