namespace Gateway.LoadTests.Reports;

/// <summary>Everything a run found, as written to <c>report.json</c> and rendered into markdown and HTML.</summary>
/// <param name="Scenario">The scenario's name.</param>
/// <param name="Description">What the scenario does.</param>
/// <param name="Target">The gateway's base address.</param>
/// <param name="SystemUnderTest">How the gateway and upstream were run.</param>
/// <param name="StartedAt">When load started.</param>
/// <param name="DurationSeconds">From the first request due to the last response.</param>
/// <param name="Machine">Where it ran.</param>
/// <param name="ExpectedStatuses">Statuses that count as success.</param>
/// <param name="Totals">Counts over the whole run.</param>
/// <param name="Latency">From each request's intended send time to the end of its response (coordinated-omission free).</param>
/// <param name="ServiceTime">From the actual send to the end of the response.</param>
/// <param name="SendLag">How late requests were sent against their schedule (the client's own delay).</param>
/// <param name="Stages">One summary per load stage.</param>
/// <param name="Seconds">One sample per second of run time.</param>
/// <param name="Gateway">The gateway process's CPU and memory, when the runner started it.</param>
/// <param name="Memory">The gateway's memory every few seconds, when the runner started it.</param>
/// <param name="MemoryTrend">How that memory moved over the second half of the run, when there were enough samples.</param>
internal sealed record LoadReport(
    string Scenario,
    string Description,
    string Target,
    string SystemUnderTest,
    DateTimeOffset StartedAt,
    double DurationSeconds,
    MachineInfo Machine,
    IReadOnlyList<int> ExpectedStatuses,
    RunTotals Totals,
    LatencySummary Latency,
    LatencySummary ServiceTime,
    LatencySummary SendLag,
    IReadOnlyList<StageSummary> Stages,
    IReadOnlyList<SecondSample> Seconds,
    ProcessUsage? Gateway,
    IReadOnlyList<MemorySample> Memory,
    MemoryTrend? MemoryTrend);
