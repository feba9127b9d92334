using Gateway.Core.Upstreams;

namespace Gateway.Core.Tests.Upstreams;

/// <summary>
/// How long ejections last, on a clock the test sets: the n-th lasts n ejection times (10 at most), it ends on probation, and
/// each ejection time spent back in forgets one past ejection. The timer-driven end-to-end view is in <see cref="ReadmissionTests"/>.
/// </summary>
public sealed class EjectionLengthTests
{
    private static readonly TimeSpan EjectionTime = TimeSpan.FromMilliseconds(1_000);

    [Fact]
    public void TheFirstEjectionLastsOneEjectionTimeAndEndsOnProbation()
    {
        var health = new DestinationHealth();

        Assert.True(health.TryEject(now: 5_000, EjectionTime));
        health.Review(now: 5_999, EjectionTime);
        Assert.Equal(DestinationState.Ejected, health.State);

        health.Review(now: 6_000, EjectionTime);
        Assert.Equal(DestinationState.Healthy, health.State);
        Assert.True(health.OnProbation);
    }

    [Fact]
    public void EachEjectionInARowLastsOneEjectionTimeLongerUpToTen()
    {
        var health = new DestinationHealth();
        var now = 0L;
        var lengths = new List<long>();

        for (var n = 1; n <= 12; n++)
        {
            Assert.True(health.TryEject(now, EjectionTime));
            lengths.Add(TimeUntilReadmitted(health, ref now));
        }

        Assert.Equal([1_000, 2_000, 3_000, 4_000, 5_000, 6_000, 7_000, 8_000, 9_000, 10_000, 10_000, 10_000], lengths);
        Assert.Equal(12, health.TimesEjected);
    }

    [Fact]
    public void AnEjectedDestinationIsNotEjectedAgain()
    {
        var health = new DestinationHealth();

        Assert.True(health.TryEject(now: 0, EjectionTime));
        Assert.False(health.TryEject(now: 10, EjectionTime));

        Assert.Equal(1, health.TimesEjected);
        health.Review(now: 1_000, EjectionTime);
        Assert.Equal(DestinationState.Healthy, health.State);
    }

    [Fact]
    public void EachEjectionTimeSpentBackInForgetsOnePastEjection()
    {
        var health = new DestinationHealth();
        var now = 0L;
        for (var n = 0; n < 3; n++)
        {
            health.TryEject(now, EjectionTime);
            TimeUntilReadmitted(health, ref now);
        }

        // Three ejections, then back in for two ejection times (reviewed as the detector's timer would): two are forgotten,
        // so the next ejection lasts as a second one does.
        for (var step = 0; step < 20; step++)
        {
            now += 100;
            health.Review(now, EjectionTime);
        }

        health.TryEject(now, EjectionTime);
        Assert.Equal(2_000, TimeUntilReadmitted(health, ref now));
    }

    [Fact]
    public void ASuccessEndsProbation()
    {
        var health = new DestinationHealth();
        health.TryEject(now: 0, EjectionTime);
        health.Review(now: 1_000, EjectionTime);
        Assert.True(health.OnProbation);

        health.Record(failed: false, windowed: false);

        Assert.False(health.OnProbation);
    }

    [Fact]
    public void UnhealthyAndEjectedShowAsEjectedUntilTheEjectionEnds()
    {
        var health = new DestinationHealth();
        health.RecordProbe(passed: false, healthyAfter: 1, unhealthyAfter: 1);
        health.TryEject(now: 0, EjectionTime);
        Assert.Equal(DestinationState.Ejected, health.State);

        health.Review(now: 1_000, EjectionTime);

        Assert.Equal(DestinationState.Unhealthy, health.State);
    }

    /// <summary>Reviews an ejected destination every 100 ms of <paramref name="now"/> until it is back; how long that took.</summary>
    private static long TimeUntilReadmitted(DestinationHealth health, ref long now)
    {
        var start = now;
        while (health.State == DestinationState.Ejected)
        {
            now += 100;
            health.Review(now, EjectionTime);
        }

        return now - start;
    }
}
