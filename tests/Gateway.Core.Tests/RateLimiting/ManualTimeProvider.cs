namespace Gateway.Core.Tests.RateLimiting;

/// <summary>
/// A clock that moves only when a test advances it, in nanosecond timestamps (as on Linux) starting far from zero.
/// Its timers fire inside <see cref="Advance"/>, in due order, each at its due time.
/// </summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private const long NanosecondsPerTick = 100;
    private readonly Lock _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private long _now = 1_000_000_000_000_000;

    public override long TimestampFrequency => 1_000_000_000;

    public override long GetTimestamp() => Volatile.Read(ref _now);

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.UnixEpoch.AddTicks(GetTimestamp() / NanosecondsPerTick);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock forward by <paramref name="delta"/>, firing the timers that fall due on the way.</summary>
    public void Advance(TimeSpan delta) => AdvanceNanoseconds(delta.Ticks * NanosecondsPerTick);

    /// <summary>Moves the clock forward by <paramref name="nanoseconds"/>, firing the timers that fall due on the way.</summary>
    public void AdvanceNanoseconds(long nanoseconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nanoseconds);
        var target = GetTimestamp() + nanoseconds;
        while (true)
        {
            ManualTimer? next;
            lock (_gate)
            {
                next = _timers.Where(timer => timer.Due <= target).MinBy(timer => timer.Due);
                if (next is null)
                {
                    Volatile.Write(ref _now, target);
                    return;
                }

                Volatile.Write(ref _now, Math.Max(next.Due, GetTimestamp()));
                next.Due = next.Period > 0 ? next.Due + next.Period : long.MaxValue;
                if (next.Due == long.MaxValue)
                {
                    _timers.Remove(next);
                }
            }

            next.Fire();
        }
    }

    /// <summary>Arms <paramref name="timer"/> (or disarms it, for an infinite due time).</summary>
    internal void Schedule(ManualTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                return;
            }

            timer.Due = GetTimestamp() + (dueTime.Ticks * NanosecondsPerTick);
            timer.Period = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? 0 : period.Ticks * NanosecondsPerTick;
            _timers.Add(timer);
        }
    }
}
