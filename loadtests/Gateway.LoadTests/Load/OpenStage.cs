using System.Globalization;

namespace Gateway.LoadTests.Load;

/// <summary>An open-model stage: requests arrive on a schedule (a rate going linearly from <see cref="FromRate"/> to <see cref="ToRate"/>) whether or not earlier ones have answered.</summary>
internal abstract record OpenStage(double FromRate, double ToRate, TimeSpan Duration) : LoadStage(Duration)
{
    /// <summary>Requests this stage schedules in total (the area under its rate line).</summary>
    public double ExpectedRequests => (FromRate + ToRate) / 2 * Duration.TotalSeconds;

    /// <summary>The intended send time of request <paramref name="index"/> (0-based) from the stage's start, or null when it falls past the stage's end.</summary>
    /// <remarks>
    /// The rate is <c>r(t) = a + (b - a) t / D</c>, so <c>N(t) = a t + c t²</c> requests are due by <c>t</c>, with <c>c = (b - a) / 2D</c>.
    /// Request k is due when <c>N(t) = k</c>: <c>t = 2k / (a + √(a² + 4ck))</c>, a form that stays exact when <c>c</c> is 0 or negative.
    /// </remarks>
    public TimeSpan? ArrivalOffset(long index)
    {
        if (index == 0)
        {
            return TimeSpan.Zero;
        }

        var a = FromRate;
        var c = (ToRate - FromRate) / (2 * Duration.TotalSeconds);
        var discriminant = (a * a) + (4 * c * index);
        var denominator = a + Math.Sqrt(Math.Max(0, discriminant));
        if (discriminant < 0 || denominator <= 0)
        {
            return null;
        }

        var seconds = 2 * index / denominator;
        return seconds < Duration.TotalSeconds ? TimeSpan.FromSeconds(seconds) : null;
    }

    /// <summary>A rate for reports: whole numbers without decimals.</summary>
    protected static string FormatRate(double rate) => rate.ToString("0.##", CultureInfo.InvariantCulture);
}
