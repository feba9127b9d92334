using Gateway.LoadTests.Load;

namespace Gateway.LoadTests.Tests;

/// <summary>The open-model schedule: when each request is due in ramp and constant stages.</summary>
public sealed class ArrivalScheduleTests
{
    [Fact]
    public void ConstantRateSpacesRequestsEvenly()
    {
        var stage = new ConstantRateStage(1000, TimeSpan.FromSeconds(1));

        var offsets = Offsets(stage);

        Assert.Equal(1000, offsets.Count);
        Assert.Equal(TimeSpan.Zero, offsets[0]);
        Assert.Equal(250.0, offsets[250].TotalMilliseconds, precision: 6);
        Assert.Equal(999.0, offsets[^1].TotalMilliseconds, precision: 6);
    }

    [Fact]
    public void RampSchedulesTheAreaUnderItsRateLine()
    {
        var stage = new RampStage(0, 1000, TimeSpan.FromSeconds(2));

        var offsets = Offsets(stage);

        Assert.InRange(offsets.Count, 999, 1001);
        var firstGap = offsets[2] - offsets[1];
        var lastGap = offsets[^1] - offsets[^2];
        Assert.True(lastGap < firstGap / 10, $"gaps should shrink as the rate grows: first {firstGap}, last {lastGap}");
    }

    [Fact]
    public void FallingRampStopsAtItsDuration()
    {
        var stage = new RampStage(1000, 0, TimeSpan.FromSeconds(1));

        var offsets = Offsets(stage);

        Assert.InRange(offsets.Count, 499, 501);
        Assert.All(offsets, o => Assert.True(o < stage.Duration));
    }

    [Fact]
    public void SecondHalfOfARampHoldsThreeQuartersOfItsRequests()
    {
        var stage = new RampStage(0, 1000, TimeSpan.FromSeconds(2));

        var late = Offsets(stage).Count(o => o >= TimeSpan.FromSeconds(1));

        Assert.InRange(late, 748, 752);
    }

    private static List<TimeSpan> Offsets(OpenStage stage)
    {
        var offsets = new List<TimeSpan>();
        for (var i = 0L; stage.ArrivalOffset(i) is { } offset; i++)
        {
            offsets.Add(offset);
        }

        return offsets;
    }
}
