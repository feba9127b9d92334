using System.Globalization;
using System.Net;
using System.Text;

namespace Gateway.LoadTests.Reports.Charts;

/// <summary>The frame every chart shares: a fixed-size SVG with a plot area, the time axis in seconds, a labelled value axis and a legend.</summary>
internal sealed class SvgCanvas
{
    private const double Width = 960;
    private const double Height = 300;
    private const double Left = 64;
    private const double Right = 16;
    private const double Top = 16;
    private const double Bottom = 64;
    private readonly StringBuilder _svg = new();
    private readonly int _seconds;
    private readonly ValueScale _scale;

    /// <summary>Starts a chart over <paramref name="seconds"/> seconds with <paramref name="scale"/> on the value axis, labelled <paramref name="unit"/>.</summary>
    public SvgCanvas(int seconds, ValueScale scale, string unit)
    {
        _seconds = Math.Max(seconds, 1);
        _scale = scale;
        Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" font-family=\"sans-serif\" font-size=\"11\">");
        Append($"<rect x=\"{Left}\" y=\"{Top}\" width=\"{PlotWidth}\" height=\"{PlotHeight}\" fill=\"#fafafa\" stroke=\"#ccc\"/>");
        foreach (var tick in scale.Ticks)
        {
            var y = Y(tick);
            Append($"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\" stroke=\"#e4e4e4\"/>");
            Append($"<text x=\"{Left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\" fill=\"#555\">{TickLabel(tick)}</text>");
        }

        var step = Math.Max(1, (int)Math.Ceiling(_seconds / 12.0));
        for (var second = 0; second <= _seconds; second += step)
        {
            var x = Left + (PlotWidth * second / _seconds);
            Append($"<text x=\"{x:0.#}\" y=\"{Top + PlotHeight + 16}\" text-anchor=\"middle\" fill=\"#555\">{second}s</text>");
        }

        Append($"<text x=\"14\" y=\"{Top + (PlotHeight / 2)}\" transform=\"rotate(-90 14 {Top + (PlotHeight / 2)})\" text-anchor=\"middle\" fill=\"#333\">{Escape(unit)}</text>");
    }

    /// <summary>Width of one second on the time axis.</summary>
    public double SecondWidth => PlotWidth / _seconds;

    private static double PlotWidth => Width - Left - Right;

    private static double PlotHeight => Height - Top - Bottom;

    /// <summary>The horizontal position of the start of <paramref name="second"/>.</summary>
    private static double XAt(double second, int seconds) => Left + (PlotWidth * second / Math.Max(seconds, 1));

    /// <summary>The vertical position of <paramref name="value"/>.</summary>
    public double Y(double value) => Top + (PlotHeight * (1 - _scale.Fraction(value)));

    /// <summary>The horizontal position of the middle of <paramref name="second"/>.</summary>
    public double X(int second) => XAt(second + 0.5, _seconds);

    /// <summary>Adds an SVG element written with invariant number formats.</summary>
    public void Append(FormattableString element) => _svg.Append(element.ToString(CultureInfo.InvariantCulture));

    /// <summary>Adds the legend below the plot and closes the SVG.</summary>
    public string Finish(IEnumerable<ChartSeries> series)
    {
        var x = Left;
        var y = Height - 18;
        foreach (var s in series)
        {
            Append($"<rect x=\"{x}\" y=\"{y - 9}\" width=\"12\" height=\"10\" fill=\"{s.Color}\"/>");
            Append($"<text x=\"{x + 16}\" y=\"{y}\" fill=\"#333\">{Escape(s.Name)}</text>");
            x += 28 + (7 * s.Name.Length);
        }

        _svg.Append("</svg>");
        return _svg.ToString();
    }

    /// <summary>Text made safe for SVG and HTML.</summary>
    public static string Escape(string text) => WebUtility.HtmlEncode(text);

    private string TickLabel(double value) => _scale.Logarithmic || value < 1000
        ? value.ToString("0.###", CultureInfo.InvariantCulture)
        : value.ToString("#,0", CultureInfo.InvariantCulture);
}
