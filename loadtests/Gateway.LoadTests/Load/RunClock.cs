using System.Diagnostics;

namespace Gateway.LoadTests.Load;

/// <summary>Monotonic time since the run started: every timestamp of a run is an offset on this clock.</summary>
internal sealed class RunClock
{
    private readonly long _start = Stopwatch.GetTimestamp();

    /// <summary>Time since the run started.</summary>
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_start);
}
