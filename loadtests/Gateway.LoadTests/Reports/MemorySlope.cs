namespace Gateway.LoadTests.Reports;

/// <summary>A least-squares line through memory samples: its slope in MiB per minute and the half-width of the slope's 95% interval.</summary>
internal sealed record MemorySlope(double MiBPerMinute, double Interval95)
{
    /// <summary>The interval's lower end.</summary>
    public double Low => MiBPerMinute - Interval95;

    /// <summary>The interval's upper end.</summary>
    public double High => MiBPerMinute + Interval95;

    /// <summary>The line through <paramref name="value"/> of at least three <paramref name="samples"/> against time in minutes.</summary>
    public static MemorySlope Fit(IReadOnlyList<MemorySample> samples, Func<MemorySample, double> value)
    {
        var n = samples.Count;
        var meanX = samples.Average(s => s.Second / 60);
        var meanY = samples.Average(value);
        var sxx = samples.Sum(s => Math.Pow((s.Second / 60) - meanX, 2));
        var sxy = samples.Sum(s => ((s.Second / 60) - meanX) * (value(s) - meanY));
        var slope = sxx > 0 ? sxy / sxx : 0;
        var residuals = samples.Sum(s => Math.Pow(value(s) - meanY - (slope * ((s.Second / 60) - meanX)), 2));
        var standardError = sxx > 0 ? Math.Sqrt(residuals / (n - 2) / sxx) : 0;
        return new MemorySlope(slope, StudentT95(n - 2) * standardError);
    }

    /// <summary>The two-sided 95% quantile of Student's t with <paramref name="degrees"/> degrees of freedom (Cornish-Fisher expansion; within 1% from 3 up).</summary>
    private static double StudentT95(int degrees)
    {
        const double z = 1.959964;
        double df = degrees;
        return z + ((Math.Pow(z, 3) + z) / (4 * df)) + (((5 * Math.Pow(z, 5)) + (16 * Math.Pow(z, 3)) + (3 * z)) / (96 * df * df));
    }
}
