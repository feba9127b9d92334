namespace Gateway.Core.Http;

/// <summary>
/// Milliseconds on a monotonic clock, as the connection heartbeat, the deadlines it enforces and the upstream deadlines
/// count them: the system's tick count (the default), or the timestamps of a <see cref="TimeProvider"/> other than the
/// system's (tests move one by hand). The tick count reads the kernel's coarse clock: a few nanoseconds, where a precise
/// timestamp costs about 20.
/// </summary>
public readonly struct MillisecondClock(TimeProvider provider)
{
    private readonly TimeProvider? _provider = provider == TimeProvider.System ? null : provider;

    /// <summary>Milliseconds since an arbitrary start.</summary>
    public long Now => _provider is null ? Environment.TickCount64 : _provider.GetTimestamp() / (_provider.TimestampFrequency / 1000);
}
