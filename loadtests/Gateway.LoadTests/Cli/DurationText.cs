using System.Globalization;

namespace Gateway.LoadTests.Cli;

/// <summary>Reads durations written <c>500ms</c>, <c>20s</c>, <c>2m</c> or <c>1h</c> (a bare number is seconds).</summary>
internal static class DurationText
{
    /// <summary>The duration <paramref name="text"/> says, or null when it is not one.</summary>
    public static TimeSpan? Parse(string text)
    {
        var (number, unit) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 0.001)
            : text.EndsWith('s') ? (text[..^1], 1.0)
            : text.EndsWith('m') ? (text[..^1], 60.0)
            : text.EndsWith('h') ? (text[..^1], 3600.0)
            : (text, 1.0);
        return double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value > 0
            ? TimeSpan.FromSeconds(value * unit)
            : null;
    }
}
