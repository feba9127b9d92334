using System.Globalization;

namespace Gateway.Core.Configuration;

/// <summary>Parses durations written the way operators write them: "250ms", "30s", "5m", "1h" (or a bare number of seconds).</summary>
public static class Duration
{
    /// <summary>The longest wait accepted, 1000 hours: timers and delays cannot wait longer than about 49 days.</summary>
    public static readonly TimeSpan LongestWait = TimeSpan.FromHours(1000);

    /// <summary>Parses <paramref name="text"/> as something a timer waits for: like <see cref="TryParse"/>, and at most <see cref="LongestWait"/>.</summary>
    public static bool TryParseWait(string? text, out TimeSpan value, out string reason)
    {
        if (!TryParse(text, out value, out reason))
        {
            return false;
        }

        if (value > LongestWait)
        {
            (value, reason) = (TimeSpan.Zero, "expected a duration of at most 1000h");
            return false;
        }

        return true;
    }

    /// <summary>Parses <paramref name="text"/>; returns false with a reason when it is not a non-negative duration.</summary>
    public static bool TryParse(string? text, out TimeSpan value, out string reason)
    {
        value = default;
        reason = "expected a duration such as \"250ms\", \"30s\", \"5m\" or \"1h\"";
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim();
        var (number, unit) = s.EndsWith("ms", StringComparison.OrdinalIgnoreCase) ? (s[..^2], 0.001)
            : s.EndsWith('s') || s.EndsWith('S') ? (s[..^1], 1.0)
            : s.EndsWith('m') || s.EndsWith('M') ? (s[..^1], 60.0)
            : s.EndsWith('h') || s.EndsWith('H') ? (s[..^1], 3600.0)
            : (s, 1.0);
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
            || !double.IsFinite(amount) || amount * unit > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            return false;
        }

        value = TimeSpan.FromSeconds(amount * unit);
        return true;
    }
}
