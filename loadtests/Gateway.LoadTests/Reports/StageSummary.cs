namespace Gateway.LoadTests.Reports;

/// <summary>One load stage's plan and results.</summary>
/// <param name="Kind"><c>ramp</c>, <c>constant</c> or <c>concurrency</c>.</param>
/// <param name="Description">The plan in words.</param>
/// <param name="StartSecond">Run time the stage started at.</param>
/// <param name="DurationSeconds">Its planned length.</param>
/// <param name="Scheduled">Requests due (or started) in it.</param>
/// <param name="Responses">Responses to its requests.</param>
/// <param name="Errors">Its unexpected statuses, failures and drops.</param>
/// <param name="ResponsesPerSecond">Responses divided by its length.</param>
/// <param name="Latency">Latency of its requests.</param>
internal sealed record StageSummary(
    string Kind,
    string Description,
    double StartSecond,
    double DurationSeconds,
    long Scheduled,
    long Responses,
    long Errors,
    double ResponsesPerSecond,
    LatencySummary Latency);
