using System.Globalization;

namespace Gateway.LoadTests.Reports;

/// <summary>Number formats shared by the markdown and HTML reports (invariant culture).</summary>
internal static class Format
{
    /// <summary>Milliseconds with two or three significant decimals: <c>0.412</c>, <c>12.35</c>, <c>1,204</c>.</summary>
    public static string Ms(double milliseconds) => milliseconds switch
    {
        < 1 => milliseconds.ToString("0.000", CultureInfo.InvariantCulture),
        < 100 => milliseconds.ToString("0.00", CultureInfo.InvariantCulture),
        _ => milliseconds.ToString("#,0", CultureInfo.InvariantCulture),
    };

    /// <summary>A count with thousands separators.</summary>
    public static string Count(double count) => count.ToString("#,0", CultureInfo.InvariantCulture);

    /// <summary>A share as a percentage: <c>0.12%</c>.</summary>
    public static string Percent(long part, long whole) =>
        (whole == 0 ? 0 : 100.0 * part / whole).ToString("0.##", CultureInfo.InvariantCulture) + "%";
}
