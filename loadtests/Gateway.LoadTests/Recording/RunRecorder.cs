using HdrHistogram;

namespace Gateway.LoadTests.Recording;

/// <summary>
/// Everything a run measures, safe to call from every request at once. Latency is measured from the time a request
/// was due (its intended send time), service time from when it was actually sent, and send lag is the difference:
/// a client that falls behind shows up as latency, not as missing samples. Per-second slices are keyed by completion
/// time (by due time for scheduled and dropped requests).
/// </summary>
internal sealed class RunRecorder
{
    private readonly IReadOnlySet<int> _expectedStatuses;
    private readonly Tally[] _seconds;
    private readonly Tally[] _stages;
    private int _lastSecond = -1;

    /// <summary>A recorder for a run of <paramref name="stageCount"/> stages lasting at most <paramref name="span"/>.</summary>
    public RunRecorder(IReadOnlySet<int> expectedStatuses, int stageCount, TimeSpan span)
    {
        _expectedStatuses = expectedStatuses;
        _seconds = [.. Enumerable.Range(0, (int)Math.Ceiling(span.TotalSeconds) + 1).Select(_ => new Tally(coarse: true))];
        _stages = [.. Enumerable.Range(0, stageCount).Select(_ => new Tally())];
    }

    /// <summary>The whole run; its latency counts from each request's intended send time (coordinated-omission free).</summary>
    public Tally Total { get; } = new();

    /// <summary>From the actual send to the end of the response: what the target took, whatever the client's schedule.</summary>
    public LongConcurrentHistogram ServiceTime { get; } = LatencyHistogram.Create();

    /// <summary>From intended to actual send time: how far behind its schedule the client was.</summary>
    public LongConcurrentHistogram SendLag { get; } = LatencyHistogram.Create();

    /// <summary>One slice per second of run time, up to the last second anything happened in.</summary>
    public IReadOnlyList<Tally> Seconds => _seconds.AsSpan(0, Volatile.Read(ref _lastSecond) + 1).ToArray();

    /// <summary>One slice per stage.</summary>
    public IReadOnlyList<Tally> Stages => _stages;

    /// <summary>Whether a status counts as success for this scenario.</summary>
    public bool IsExpected(int status) => _expectedStatuses.Contains(status);

    /// <summary>A request became due in stage <paramref name="stage"/>.</summary>
    public void RecordScheduled(int stage, TimeSpan intended)
    {
        Total.AddScheduled();
        _stages[stage].AddScheduled();
        Second(intended).AddScheduled();
    }

    /// <summary>A due request was not sent: the in-flight cap was reached.</summary>
    public void RecordDropped(int stage, TimeSpan intended)
    {
        Total.AddDropped();
        _stages[stage].AddDropped();
        Second(intended).AddDropped();
    }

    /// <summary>A response arrived.</summary>
    public void RecordResponse(int stage, TimeSpan intended, TimeSpan started, TimeSpan completed, int status)
    {
        var expected = IsExpected(status);
        var latency = completed - intended;
        Total.AddResponse(status, expected, latency);
        _stages[stage].AddResponse(status, expected, latency);
        Second(completed).AddResponse(status, expected, latency);
        LatencyHistogram.Record(ServiceTime, completed - started);
        LatencyHistogram.Record(SendLag, started - intended);
    }

    /// <summary>A request ended without a response (<paramref name="kind"/> says why).</summary>
    public void RecordFailure(int stage, TimeSpan completed, string kind)
    {
        Total.AddFailure(kind);
        _stages[stage].AddFailure(kind);
        Second(completed).AddFailure(kind);
    }

    private Tally Second(TimeSpan at)
    {
        var index = Math.Clamp((int)at.TotalSeconds, 0, _seconds.Length - 1);
        var last = Volatile.Read(ref _lastSecond);
        while (index > last)
        {
            var seen = Interlocked.CompareExchange(ref _lastSecond, index, last);
            if (seen == last)
            {
                break;
            }

            last = seen;
        }

        return _seconds[index];
    }
}
