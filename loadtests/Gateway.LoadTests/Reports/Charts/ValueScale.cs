namespace Gateway.LoadTests.Reports.Charts;

/// <summary>Maps values onto a chart's vertical axis, linear from zero or logarithmic by decades, with round tick values.</summary>
internal sealed class ValueScale
{
    private ValueScale(bool logarithmic, double low, double high, IReadOnlyList<double> ticks)
    {
        Logarithmic = logarithmic;
        Low = low;
        High = high;
        Ticks = ticks;
    }

    /// <summary>Whether the axis is logarithmic.</summary>
    public bool Logarithmic { get; }

    /// <summary>The value at the bottom of the axis.</summary>
    public double Low { get; }

    /// <summary>The value at the top of the axis.</summary>
    public double High { get; }

    /// <summary>Values to label on the axis, bottom to top.</summary>
    public IReadOnlyList<double> Ticks { get; }

    /// <summary>A linear axis from 0 to a round value at or above <paramref name="max"/>, with about five ticks.</summary>
    public static ValueScale Linear(double max)
    {
        var step = NiceStep(Math.Max(max, 1) / 5);
        var top = Math.Ceiling(Math.Max(max, 1) / step) * step;
        var ticks = Enumerable.Range(0, (int)Math.Round(top / step) + 1).Select(i => i * step).ToArray();
        return new ValueScale(false, 0, top, ticks);
    }

    /// <summary>A logarithmic axis covering whole decades from <paramref name="min"/> to <paramref name="max"/> (both above zero).</summary>
    public static ValueScale Log(double min, double max)
    {
        var low = Math.Floor(Math.Log10(Math.Max(min, 1e-3)));
        var high = Math.Max(Math.Ceiling(Math.Log10(Math.Max(max, 1e-3))), low + 1);
        var ticks = Enumerable.Range(0, (int)(high - low) + 1).Select(i => Math.Pow(10, low + i)).ToArray();
        return new ValueScale(true, ticks[0], ticks[^1], ticks);
    }

    /// <summary>Where <paramref name="value"/> sits on the axis: 0 at the bottom, 1 at the top (clamped).</summary>
    public double Fraction(double value)
    {
        var fraction = Logarithmic
            ? (Math.Log10(Math.Max(value, Low)) - Math.Log10(Low)) / (Math.Log10(High) - Math.Log10(Low))
            : (value - Low) / (High - Low);
        return Math.Clamp(fraction, 0, 1);
    }

    private static double NiceStep(double rough)
    {
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var normalized = rough / magnitude;
        var nice = normalized <= 1 ? 1 : normalized <= 2 ? 2 : normalized <= 5 ? 5 : 10;
        return nice * magnitude;
    }
}
