namespace Gateway.LoadTests.Load;

/// <summary>
/// Walks an open stage's schedule: hands out every request whose intended send time has come, each with that
/// intended time. A caller that wakes up late gets all the requests it missed, still stamped with the times they
/// were due, so their latency counts from then (no coordinated omission).
/// </summary>
internal sealed class ArrivalCursor(OpenStage stage, TimeSpan stageStart)
{
    private long _index;
    private TimeSpan? _next = stageStart + stage.ArrivalOffset(0);

    /// <summary>When the next request is due (run time), or null once the stage has scheduled its last one.</summary>
    public TimeSpan? NextDue => _next;

    /// <summary>Takes the next request if it is due at <paramref name="now"/>; <paramref name="intended"/> is when it was due.</summary>
    public bool TryTakeDue(TimeSpan now, out TimeSpan intended)
    {
        if (_next is not { } due || due > now)
        {
            intended = default;
            return false;
        }

        intended = due;
        _index++;
        _next = stage.ArrivalOffset(_index) is { } offset ? stageStart + offset : null;
        return true;
    }
}
