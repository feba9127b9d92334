using Gateway.Core.RateLimiting;

namespace Gateway.Core.Tests.RateLimiting;

/// <summary>The GCRA bucket of one key, on a clock that moves only when the test says so.</summary>
public sealed class LocalRateLimiterTests
{
    // 10 per second: one permit every 100 ms, 10 at once.
    private static readonly RateLimitRule TenPerSecond = new(10, TimeSpan.FromSeconds(1));

    [Fact]
    public void GrantsExactlyTheCapacityAtOnceThenDeniesUntilTheNextPermit()
    {
        var clock = new ManualTimeProvider();
        using var limiter = new LocalRateLimiter(TenPerSecond, clock);

        for (var i = 1; i <= 10; i++)
        {
            Assert.Equal(new RateLimitDecision(true, 10, 10 - i, TimeSpan.FromMilliseconds(100 * i), TimeSpan.Zero), limiter.Acquire("client"));
        }

        Assert.Equal(new RateLimitDecision(false, 10, 0, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(100)), limiter.Acquire("client"));

        clock.Advance(TimeSpan.FromMilliseconds(99));
        Assert.Equal(new RateLimitDecision(false, 10, 0, TimeSpan.FromMilliseconds(901), TimeSpan.FromMilliseconds(1)), limiter.Acquire("client"));

        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(new RateLimitDecision(true, 10, 0, TimeSpan.FromSeconds(1), TimeSpan.Zero), limiter.Acquire("client"));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 3)]
    [InlineData(10, 10)]
    [InlineData(25, 10)]
    public void RefillsOnePermitPerEmissionIntervalUpToTheCapacity(int intervals, int expected)
    {
        var clock = new ManualTimeProvider();
        using var limiter = new LocalRateLimiter(TenPerSecond, clock);
        Drain(limiter, "client");

        // Half an interval more changes nothing: permits refill whole.
        clock.Advance((TimeSpan.FromMilliseconds(100) * intervals) + TimeSpan.FromMilliseconds(50));

        Assert.Equal(expected, Drain(limiter, "client"));
    }

    [Fact]
    public void KeysHaveBucketsOfTheirOwn()
    {
        using var limiter = new LocalRateLimiter(TenPerSecond, new ManualTimeProvider());

        Assert.Equal(10, Drain(limiter, "alice"));
        Assert.Equal(10, Drain(limiter, "bob"));
        Assert.Equal(2, limiter.KeyCount);
    }

    [Theory]
    [InlineData(2, 2)]
    [InlineData(30, 10)]
    public void BurstSetsTheBucketSizeAndNotTheRate(long burst, int afterOneSecond)
    {
        var clock = new ManualTimeProvider();
        using var limiter = new LocalRateLimiter(new RateLimitRule(10, TimeSpan.FromSeconds(1), burst), clock);

        Assert.Equal(burst, Drain(limiter, "client"));
        var denied = limiter.Acquire("client");
        Assert.Equal(burst, denied.Limit);
        Assert.Equal(TimeSpan.FromMilliseconds(100), denied.RetryAfter);

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(afterOneSecond, Drain(limiter, "client"));
    }

    [Fact]
    public void CostTakesSeveralPermitsAtOnce()
    {
        using var limiter = new LocalRateLimiter(TenPerSecond, new ManualTimeProvider());

        Assert.True(limiter.Acquire("client", cost: 4).Allowed);
        Assert.True(limiter.Acquire("client", cost: 4).Allowed);
        Assert.Equal(new RateLimitDecision(false, 10, 2, TimeSpan.FromMilliseconds(800), TimeSpan.FromMilliseconds(200)), limiter.Acquire("client", cost: 4));
        Assert.Equal(new RateLimitDecision(true, 10, 0, TimeSpan.FromSeconds(1), TimeSpan.Zero), limiter.Acquire("client", cost: 2));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(11)]
    public void CostOutsideOneToCapacityIsRejected(int invalid)
    {
        using var limiter = new LocalRateLimiter(TenPerSecond, new ManualTimeProvider());

        Assert.Throws<ArgumentOutOfRangeException>("cost", () => limiter.Acquire("client", invalid));
    }

    [Fact]
    public void InvalidRulesAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>("Permits", () => new RateLimitRule(0, TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>("Period", () => new RateLimitRule(1, TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>("Burst", () => new RateLimitRule(1, TimeSpan.FromSeconds(1), -1));
        Assert.Equal(5, new RateLimitRule(5, TimeSpan.FromSeconds(1)).Capacity);
        Assert.Equal(7, new RateLimitRule(5, TimeSpan.FromSeconds(1), 7).Capacity);
    }

    [Fact]
    public void EmissionIntervalIsRoundedUpSoRoundingNeverAdmitsMore()
    {
        // 3 per second is 333,333,333.3 ns per permit: rounded up to 333,333,334 ns.
        var clock = new ManualTimeProvider();
        using var limiter = new LocalRateLimiter(new RateLimitRule(3, TimeSpan.FromSeconds(1)), clock);
        Drain(limiter, "client");

        clock.AdvanceNanoseconds(999_999_999);
        Assert.Equal(2, Drain(limiter, "client"));
        clock.AdvanceNanoseconds(3);
        Assert.Equal(1, Drain(limiter, "client"));
    }

    /// <summary>Acquires single permits until denied; returns how many were granted.</summary>
    internal static int Drain(LocalRateLimiter limiter, string key)
    {
        var granted = 0;
        while (limiter.Acquire(key).Allowed)
        {
            granted++;
        }

        return granted;
    }
}
