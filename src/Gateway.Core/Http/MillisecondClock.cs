namespace Gateway.Core.Http;

/// <summary>
/// Milliseconds on a monotonic clock, as the connection heartbeat and the deadlines it enforces count them: the system's
/// tick count (the default), or the timestamps of a <see cref="TimeProvider"/> other than the system's (tests move one by hand).
/// </summary>
public readonly struct MillisecondClock(TimeProvider provider)
{
    private readonly TimeProvider? _provider = provider == TimeProvider.System ? null : provider;

    /// <summary>Milliseconds since an arbitrary start.</summary>
    public long Now => _provider is null ? Environment.TickCount64 : _provider.GetTimestamp() / (_provider.TimestampFrequency / 1000);
}
