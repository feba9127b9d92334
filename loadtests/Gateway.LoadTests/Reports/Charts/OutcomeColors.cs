namespace Gateway.LoadTests.Reports.Charts;

/// <summary>One color per outcome, the same in every chart: greens for 2xx, amber for 429, orange for other 4xx, reds for 5xx, purples for failures, brown for drops.</summary>
internal static class OutcomeColors
{
    private static readonly string[] Failures = ["#6a1b9a", "#8e24aa", "#ab47bc", "#4527a0", "#5e35b1"];

    /// <summary>The color of <paramref name="outcome"/> (a status code, a failure kind or <c>dropped</c>).</summary>
    public static string For(string outcome) => outcome switch
    {
        "200" => "#2e7d32",
        "429" => "#f9a825",
        "dropped" => "#6d4c41",
        ['2', _, _] => "#66bb6a",
        ['1' or '3', _, _] => "#90a4ae",
        ['4', _, _] => "#ef6c00",
        ['5', _, _] => "#c62828",
        _ => Failures[(int)((uint)StableHash(outcome) % Failures.Length)],
    };

    private static int StableHash(string text) => text.Aggregate(17, (hash, c) => unchecked((hash * 31) + c));
}
