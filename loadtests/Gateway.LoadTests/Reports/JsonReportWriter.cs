using System.Text.Json;

namespace Gateway.LoadTests.Reports;

/// <summary>Writes a report as indented camelCase JSON: the machine-readable record of a run.</summary>
internal static class JsonReportWriter
{
    /// <summary>The options reports are written (and read back) with.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>The report as JSON text.</summary>
    public static string Write(LoadReport report) => JsonSerializer.Serialize(report, Options);
}
