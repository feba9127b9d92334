namespace Gateway.Core.Tests.RateLimiting;

/// <summary>A timer of a <see cref="ManualTimeProvider"/>: it fires when the clock is advanced past its due time.</summary>
internal sealed class ManualTimer(ManualTimeProvider clock, TimerCallback callback, object? state) : ITimer
{
    /// <summary>The timestamp at which it fires next.</summary>
    public long Due { get; set; }

    /// <summary>The period in timestamp units; 0 for a one-shot timer.</summary>
    public long Period { get; set; }

    public void Fire() => callback(state);

    public bool Change(TimeSpan dueTime, TimeSpan period)
    {
        clock.Schedule(this, dueTime, period);
        return true;
    }

    public void Dispose() => clock.Schedule(this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
