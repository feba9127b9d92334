namespace Gateway.LoadTests.Reports.Charts;

/// <summary>One named series of a chart: one value per second of the run.</summary>
internal sealed record ChartSeries(string Name, string Color, IReadOnlyList<double> Values, bool Dashed = false);
