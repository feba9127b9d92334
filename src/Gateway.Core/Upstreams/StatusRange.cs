using System.Globalization;

namespace Gateway.Core.Upstreams;

/// <summary>A range of HTTP statuses written as <c>200-399</c>, or one status such as <c>204</c>.</summary>
/// <param name="Low">The lowest status in the range.</param>
/// <param name="High">The highest status in the range.</param>
public readonly record struct StatusRange(int Low, int High)
{
    /// <summary>Parses <paramref name="text"/>; false when it is not one status or a rising range of statuses from 100 to 599.</summary>
    public static bool TryParse(string? text, out StatusRange range)
    {
        range = default;
        var parts = (text ?? "").Split('-', 2, StringSplitOptions.TrimEntries);
        if (!IsStatus(parts[0], out var low))
        {
            return false;
        }

        var high = low;
        if (parts.Length == 2 && (!IsStatus(parts[1], out high) || high < low))
        {
            return false;
        }

        range = new StatusRange(low, high);
        return true;
    }

    /// <summary>True when <paramref name="status"/> is in the range.</summary>
    public bool Contains(int status) => status >= Low && status <= High;

    private static bool IsStatus(string text, out int status) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out status) && status is >= 100 and <= 599;
}
