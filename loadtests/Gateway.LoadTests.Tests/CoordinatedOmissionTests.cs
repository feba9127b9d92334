using Gateway.LoadTests.Load;
using Gateway.LoadTests.Recording;
using HdrHistogram;

namespace Gateway.LoadTests.Tests;

/// <summary>
/// A client that falls behind must not hide the delay: requests it sends late keep the time they were due, latency
/// counts from then, and requests it cannot send at all are counted as dropped errors.
/// </summary>
public sealed class CoordinatedOmissionTests
{
    private static readonly IReadOnlySet<int> Ok = new HashSet<int> { 200 };

    [Fact]
    public void LateWakeUpHandsOutEveryMissedRequestWithTheTimeItWasDue()
    {
        var cursor = new ArrivalCursor(new ConstantRateStage(1000, TimeSpan.FromSeconds(1)), TimeSpan.FromSeconds(3));

        var due = Drain(cursor, TimeSpan.FromSeconds(3) + TimeSpan.FromMilliseconds(50));

        Assert.Equal(51, due.Count);
        Assert.Equal(TimeSpan.FromSeconds(3), due[0]);
        Assert.Equal(TimeSpan.FromSeconds(3) + TimeSpan.FromMilliseconds(50), due[^1]);
        Assert.Equal(3051, cursor.NextDue!.Value.TotalMilliseconds, precision: 3);
    }

    [Fact]
    public void NothingIsHandedOutBeforeItIsDue()
    {
        var cursor = new ArrivalCursor(new ConstantRateStage(10, TimeSpan.FromSeconds(1)), TimeSpan.FromSeconds(1));

        Assert.Empty(Drain(cursor, TimeSpan.FromMilliseconds(999)));
        Assert.Single(Drain(cursor, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void CursorEndsWithItsStage()
    {
        var cursor = new ArrivalCursor(new ConstantRateStage(10, TimeSpan.FromSeconds(1)), TimeSpan.Zero);

        var due = Drain(cursor, TimeSpan.FromMinutes(1));

        Assert.Equal(10, due.Count);
        Assert.Null(cursor.NextDue);
    }

    [Fact]
    public void LatencyCountsFromTheIntendedSendTimeNotTheActualOne()
    {
        var recorder = new RunRecorder(Ok, 1, TimeSpan.FromSeconds(10));

        recorder.RecordResponse(0, intended: Ms(1000), started: Ms(1050), completed: Ms(1051), 200);

        Assert.InRange(recorder.Total.Latency.GetMaxValue(), 50_900, 51_100);
        Assert.InRange(recorder.ServiceTime.GetMaxValue(), 990, 1010);
        Assert.InRange(recorder.SendLag.GetMaxValue(), 49_900, 50_100);
    }

    [Fact]
    public void StalledTargetShowsInEveryRequestThatWaitedBehindIt()
    {
        // A target that stalls 100 ms: the requests due during the stall are sent when it ends and answer at once.
        var recorder = new RunRecorder(Ok, 1, TimeSpan.FromSeconds(10));
        var cursor = new ArrivalCursor(new ConstantRateStage(1000, TimeSpan.FromSeconds(1)), TimeSpan.Zero);
        foreach (var intended in Drain(cursor, Ms(100)))
        {
            recorder.RecordResponse(0, intended, started: Ms(100), completed: Ms(101), 200);
        }

        var latency = recorder.Total.Latency;
        Assert.Equal(101, latency.TotalCount);
        Assert.InRange(latency.GetValueAtPercentile(50), 50_000, 52_000);
        Assert.InRange(latency.GetMaxValue(), 100_900, 101_100);
        Assert.InRange(recorder.ServiceTime.GetValueAtPercentile(99), 990, 1010);
    }

    [Fact]
    public void RequestsBeyondTheInFlightCapAreRefused()
    {
        var limit = new InFlightLimit(2);

        Assert.True(limit.TryEnter());
        Assert.True(limit.TryEnter());
        Assert.False(limit.TryEnter());
        limit.Exit();
        Assert.True(limit.TryEnter());
        Assert.Equal(2, limit.Count);
    }

    [Fact]
    public void DroppedRequestsAreCountedAsErrorsInTheSecondTheyWereDue()
    {
        var recorder = new RunRecorder(Ok, 1, TimeSpan.FromSeconds(10));

        recorder.RecordScheduled(0, Ms(2500));
        recorder.RecordDropped(0, Ms(2500));

        Assert.Equal(1, recorder.Total.Dropped);
        Assert.Equal(1, recorder.Total.Errors);
        Assert.Equal(1, recorder.Seconds[2].Dropped);
    }

    private static TimeSpan Ms(double milliseconds) => TimeSpan.FromMilliseconds(milliseconds);

    private static List<TimeSpan> Drain(ArrivalCursor cursor, TimeSpan now)
    {
        var due = new List<TimeSpan>();
        while (cursor.TryTakeDue(now, out var intended))
        {
            due.Add(intended);
        }

        return due;
    }
}
