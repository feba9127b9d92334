using System.Globalization;

namespace Gateway.Core.Configuration;

/// <summary>Parses sizes written the way operators write them: "64MB", "512KB", "1GB" (units of 1024) or a bare number of bytes.</summary>
public static class ByteSize
{
    /// <summary>Parses <paramref name="text"/>; returns false with a reason when it is not a size of at least one byte.</summary>
    public static bool TryParse(string? text, out long bytes, out string reason)
    {
        bytes = 0;
        reason = "expected a size such as \"64MB\", \"512KB\" or a number of bytes";
        var s = text?.Trim() ?? "";
        var (number, unit) = s.EndsWith("GB", StringComparison.OrdinalIgnoreCase) ? (s[..^2], 1L << 30)
            : s.EndsWith("MB", StringComparison.OrdinalIgnoreCase) ? (s[..^2], 1L << 20)
            : s.EndsWith("KB", StringComparison.OrdinalIgnoreCase) ? (s[..^2], 1L << 10)
            : s.EndsWith('B') || s.EndsWith('b') ? (s[..^1], 1L)
            : (s, 1L);
        if (!long.TryParse(number.TrimEnd(), NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount > long.MaxValue / unit)
        {
            return false;
        }

        bytes = amount * unit;
        if (bytes < 1)
        {
            reason = "the size must be at least one byte";
            return false;
        }

        return true;
    }
}
