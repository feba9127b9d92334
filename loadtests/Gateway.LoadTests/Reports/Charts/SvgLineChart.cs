namespace Gateway.LoadTests.Reports.Charts;

/// <summary>A line chart of per-second series (latency percentiles, throughput), as inline SVG.</summary>
internal static class SvgLineChart
{
    /// <summary>The chart; <paramref name="logarithmic"/> puts the value axis on decades (for latencies spanning orders of magnitude).</summary>
    public static string Render(IReadOnlyList<ChartSeries> series, string unit, bool logarithmic)
    {
        var values = series.SelectMany(s => s.Values).ToList();
        var seconds = series.Max(s => s.Values.Count);
        var scale = logarithmic
            ? ValueScale.Log(values.Where(v => v > 0).DefaultIfEmpty(1).Min(), values.DefaultIfEmpty(1).Max())
            : ValueScale.Linear(values.DefaultIfEmpty(0).Max());
        var canvas = new SvgCanvas(seconds, scale, unit);
        foreach (var s in series)
        {
            var points = string.Join(' ', s.Values.Select((v, i) => FormattableString.Invariant($"{canvas.X(i):0.#},{canvas.Y(v):0.#}")));
            var dash = s.Dashed ? " stroke-dasharray=\"5 4\"" : string.Empty;
            canvas.Append($"<polyline points=\"{points}\" fill=\"none\" stroke=\"{s.Color}\" stroke-width=\"2\"{dash}/>");
        }

        return canvas.Finish(series);
    }
}
