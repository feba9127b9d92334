namespace Gateway.LoadTests.Reports;

/// <summary>What the gateway process used while load ran.</summary>
/// <param name="CpuSeconds">CPU time (user + system) during the load.</param>
/// <param name="CpuMicrosecondsPerRequest">That CPU time divided by the responses.</param>
/// <param name="PeakRssMiB">Its peak resident memory since it started.</param>
internal sealed record ProcessUsage(double CpuSeconds, double CpuMicrosecondsPerRequest, double PeakRssMiB);
