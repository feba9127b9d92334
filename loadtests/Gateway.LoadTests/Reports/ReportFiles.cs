namespace Gateway.LoadTests.Reports;

/// <summary>Writes a run's three reports into one folder per run: <c>report.json</c>, <c>report.md</c> and <c>report.html</c>.</summary>
internal static class ReportFiles
{
    /// <summary>Writes the reports under <paramref name="outputRoot"/> in a folder named for the scenario and start time; returns that folder.</summary>
    public static async Task<string> WriteAsync(LoadReport report, string outputRoot)
    {
        var folder = Path.Combine(outputRoot, $"{report.Scenario}-{report.StartedAt.UtcDateTime:yyyyMMdd-HHmmss}");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "report.json"), JsonReportWriter.Write(report)).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(folder, "report.md"), MarkdownReportWriter.Write(report)).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(folder, "report.html"), HtmlReportWriter.Write(report)).ConfigureAwait(false);
        return folder;
    }
}
