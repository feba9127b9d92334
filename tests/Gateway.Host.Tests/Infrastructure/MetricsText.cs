using System.Globalization;

namespace Gateway.Host.Tests.Infrastructure;

/// <summary>Reads samples out of the Prometheus text the admin listener's /metrics answers.</summary>
internal static class MetricsText
{
    /// <summary>The value of the sample named exactly <paramref name="series"/> (name and labels), or -1 when absent.</summary>
    public static double Value(string text, string series)
    {
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(series.Length + 1)..], CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }
}
