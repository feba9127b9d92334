namespace Gateway.LoadTests.Reports;

/// <summary>One second of run time: what was due, what answered (by completion time) and how fast.</summary>
/// <param name="Second">Seconds since the run started (this sample covers [Second, Second + 1)).</param>
/// <param name="Scheduled">Requests due in this second.</param>
/// <param name="Responses">Responses completed in this second.</param>
/// <param name="Errors">Errors in this second.</param>
/// <param name="Outcomes">Responses by status, failures by kind, and <c>dropped</c>.</param>
/// <param name="P50Ms">Median latency of the responses completed in this second.</param>
/// <param name="P90Ms">90th percentile.</param>
/// <param name="P99Ms">99th percentile.</param>
/// <param name="MaxMs">Slowest.</param>
internal sealed record SecondSample(
    int Second,
    long Scheduled,
    long Responses,
    long Errors,
    IReadOnlyDictionary<string, long> Outcomes,
    double P50Ms,
    double P90Ms,
    double P99Ms,
    double MaxMs);
