using System.Globalization;
using System.Text;

namespace Gateway.Core.Caching;

/// <summary>Reads HTTP dates (RFC 9110 §5.6.7: IMF-fixdate, and the obsolete RFC 850 and asctime forms) as seconds since the Unix epoch.</summary>
internal static class HttpDate
{
    private static readonly string[] Formats = ["r", "dddd, dd-MMM-yy HH:mm:ss 'GMT'", "ddd MMM d HH:mm:ss yyyy", "ddd MMM  d HH:mm:ss yyyy"];

    /// <summary>The date in <paramref name="value"/>, or null when it is not one.</summary>
    public static double? Parse(ReadOnlySpan<byte> value)
    {
        var text = Encoding.Latin1.GetString(value).Trim();
        return DateTimeOffset.TryParseExact(text, Formats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var date)
            ? date.ToUnixTimeMilliseconds() / 1000.0
            : null;
    }
}
