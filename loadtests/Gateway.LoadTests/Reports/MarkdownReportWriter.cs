using System.Globalization;
using System.Text;

namespace Gateway.LoadTests.Reports;

/// <summary>Writes a report as markdown: the summary, stages, latency and outcome tables, and the per-second series.</summary>
internal static class MarkdownReportWriter
{
    /// <summary>The report as markdown text.</summary>
    public static string Write(LoadReport report)
    {
        var md = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        md.Append(c, $"# Load test: {report.Scenario}").AppendLine().AppendLine();
        md.AppendLine(report.Description).AppendLine();
        md.Append(c, $"- started {report.StartedAt:yyyy-MM-dd HH:mm:ss} UTC, {report.DurationSeconds:0.#} s, target {report.Target}").AppendLine();
        md.Append(c, $"- system under test: {report.SystemUnderTest}").AppendLine();
        md.Append(c, $"- machine: {report.Machine.Cores} cores, {report.Machine.Os}, {report.Machine.Runtime}, load average {report.Machine.LoadAverage?.ToString("0.##", c) ?? "unknown"} at start; {report.Machine.Note}").AppendLine();
        md.Append(c, $"- expected statuses: {string.Join(", ", report.ExpectedStatuses)}").AppendLine().AppendLine();

        var t = report.Totals;
        md.AppendLine("| requests | responses | succeeded | errors | dropped | resp/s | p50 | p90 | p99 | p99.9 | max |");
        md.AppendLine("|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        md.Append(c, $"| {Format.Count(t.Scheduled)} | {Format.Count(t.Responses)} | {Format.Count(t.Succeeded)} | {Format.Count(t.Errors)} ({Format.Percent(t.Errors, t.Scheduled)}) | {Format.Count(t.Dropped)} | {Format.Count(t.ResponsesPerSecond)} | {Latencies(report.Latency)} |").AppendLine().AppendLine();

        md.AppendLine("## Latency (ms)").AppendLine();
        md.AppendLine("| measure | count | mean | p50 | p90 | p99 | p99.9 | max |");
        md.AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|");
        LatencyRow(md, "latency (from intended send time)", report.Latency);
        LatencyRow(md, "service time (from actual send)", report.ServiceTime);
        LatencyRow(md, "send lag (client behind schedule)", report.SendLag);
        md.AppendLine();

        md.AppendLine("## Stages").AppendLine();
        md.AppendLine("| stage | from | requests | resp/s | errors | p50 | p90 | p99 | p99.9 | max |");
        md.AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var s in report.Stages)
        {
            md.Append(c, $"| {s.Description} | {s.StartSecond:0.#} s | {Format.Count(s.Scheduled)} | {Format.Count(s.ResponsesPerSecond)} | {Format.Count(s.Errors)} | {Latencies(s.Latency)} |").AppendLine();
        }

        md.AppendLine().AppendLine("## Outcomes").AppendLine();
        md.AppendLine("| outcome | count | share |");
        md.AppendLine("|---|--:|--:|");
        foreach (var (outcome, count) in t.Outcomes)
        {
            md.Append(c, $"| {outcome} | {Format.Count(count)} | {Format.Percent(count, t.Scheduled)} |").AppendLine();
        }

        if (report.Gateway is { } g)
        {
            md.AppendLine().AppendLine("## Gateway process").AppendLine();
            md.Append(c, $"CPU {g.CpuSeconds:0.00} s during the load ({g.CpuMicrosecondsPerRequest:0.#} µs per response), peak RSS {g.PeakRssMiB:0} MiB.").AppendLine();
        }

        if (report.Memory.Count > 0)
        {
            md.AppendLine().AppendLine("## Gateway memory").AppendLine();
            md.AppendLine(MemoryText.Trend(report.MemoryTrend)).AppendLine();
            md.AppendLine("| second | RSS MiB | GC heap MiB | GC committed MiB |");
            md.AppendLine("|--:|--:|--:|--:|");
            foreach (var m in MemoryText.Rows(report.Memory))
            {
                md.Append(c, $"| {m.Second:0} | {MemoryText.MiB(m.RssMiB)} | {MemoryText.MiB(m.GcHeapMiB)} | {MemoryText.MiB(m.GcCommittedMiB)} |").AppendLine();
            }
        }

        md.AppendLine().AppendLine("## Per second").AppendLine();
        md.AppendLine("| second | due | responses | errors | outcomes | p50 | p90 | p99 | max |");
        md.AppendLine("|--:|--:|--:|--:|---|--:|--:|--:|--:|");
        foreach (var s in report.Seconds)
        {
            var outcomes = string.Join(", ", s.Outcomes.Select(o => $"{o.Key}: {o.Value}"));
            md.Append(c, $"| {s.Second} | {s.Scheduled} | {s.Responses} | {s.Errors} | {outcomes} | {Format.Ms(s.P50Ms)} | {Format.Ms(s.P90Ms)} | {Format.Ms(s.P99Ms)} | {Format.Ms(s.MaxMs)} |").AppendLine();
        }

        return md.ToString();
    }

    private static string Latencies(LatencySummary l) =>
        $"{Format.Ms(l.P50Ms)} | {Format.Ms(l.P90Ms)} | {Format.Ms(l.P99Ms)} | {Format.Ms(l.P999Ms)} | {Format.Ms(l.MaxMs)}";

    private static void LatencyRow(StringBuilder md, string name, LatencySummary l) =>
        md.Append(CultureInfo.InvariantCulture, $"| {name} | {Format.Count(l.Count)} | {Format.Ms(l.MeanMs)} | {Latencies(l)} |").AppendLine();
}
