namespace Gateway.LoadTests.Reports.Charts;

/// <summary>A stacked bar chart of per-second counts (responses by status, errors by kind), as inline SVG.</summary>
internal static class SvgStackedBarChart
{
    /// <summary>The chart: one bar per second, each series stacked on the ones before it.</summary>
    public static string Render(IReadOnlyList<ChartSeries> series, int seconds, string unit)
    {
        var totals = Enumerable.Range(0, seconds).Select(i => series.Sum(s => i < s.Values.Count ? s.Values[i] : 0)).ToArray();
        var canvas = new SvgCanvas(seconds, ValueScale.Linear(totals.DefaultIfEmpty(0).Max()), unit);
        var width = Math.Max(canvas.SecondWidth * 0.8, 1);
        for (var i = 0; i < seconds; i++)
        {
            var stacked = 0.0;
            foreach (var s in series)
            {
                var value = i < s.Values.Count ? s.Values[i] : 0;
                if (value <= 0)
                {
                    continue;
                }

                var top = canvas.Y(stacked + value);
                var height = canvas.Y(stacked) - top;
                canvas.Append($"<rect x=\"{canvas.X(i) - (width / 2):0.#}\" y=\"{top:0.#}\" width=\"{width:0.#}\" height=\"{height:0.##}\" fill=\"{s.Color}\"><title>{i}s {SvgCanvas.Escape(s.Name)}: {value}</title></rect>");
                stacked += value;
            }
        }

        return canvas.Finish(series);
    }
}
