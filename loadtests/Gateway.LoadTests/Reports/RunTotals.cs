namespace Gateway.LoadTests.Reports;

/// <summary>Counts over a whole run.</summary>
/// <param name="Scheduled">Requests due (open model) or started (closed model).</param>
/// <param name="Responses">HTTP responses received.</param>
/// <param name="Succeeded">Responses with an expected status.</param>
/// <param name="Errors">Unexpected statuses, failures and drops.</param>
/// <param name="Dropped">Requests not sent because the in-flight cap was reached.</param>
/// <param name="ResponsesPerSecond">Responses divided by the run's duration.</param>
/// <param name="Outcomes">Responses by status code, then failures by kind, then <c>dropped</c>.</param>
internal sealed record RunTotals(
    long Scheduled,
    long Responses,
    long Succeeded,
    long Errors,
    long Dropped,
    double ResponsesPerSecond,
    IReadOnlyDictionary<string, long> Outcomes);
