namespace Gateway.LoadTests.Reports;

/// <summary>The facts about a run that the recorder does not hold.</summary>
/// <param name="Target">The gateway's base address.</param>
/// <param name="SystemUnderTest">How the gateway and upstream were run.</param>
/// <param name="StartedAt">When load started.</param>
/// <param name="Duration">From the run's start to the last response.</param>
/// <param name="Machine">Where it ran.</param>
/// <param name="Gateway">The gateway process's usage, when the runner started it.</param>
/// <param name="Memory">The gateway's memory sampled during the run, when the runner started it (else empty).</param>
internal sealed record RunContext(
    string Target, string SystemUnderTest, DateTimeOffset StartedAt, TimeSpan Duration, MachineInfo Machine, ProcessUsage? Gateway, IReadOnlyList<MemorySample> Memory);
