using Gateway.Core.RateLimiting;

namespace Gateway.Core.Tests.RateLimiting;

/// <summary>Keys: the cap and its shared overflow bucket, eviction of idle buckets, and lookups that allocate nothing.</summary>
public sealed class LocalRateLimiterKeyTests
{
    private static readonly RateLimitRule ThreePerSecond = new(3, TimeSpan.FromSeconds(1));

    [Fact]
    public void NewKeysPastTheCapShareOneOverflowBucket()
    {
        using var limiter = new LocalRateLimiter(ThreePerSecond, new ManualTimeProvider(), maxKeys: 2);

        Assert.True(limiter.Acquire("a").Allowed);
        Assert.True(limiter.Acquire("b").Allowed);
        Assert.Equal(0, limiter.Overflowed);

        // "c" and "d" have no bucket of their own: they spend the same 3 permits.
        Assert.Equal(2, limiter.Acquire("c").Remaining);
        Assert.Equal(2, LocalRateLimiterTests.Drain(limiter, "d"));
        Assert.False(limiter.Acquire("c").Allowed);

        Assert.Equal(2, limiter.KeyCount);
        Assert.Equal(5, limiter.Overflowed);
        Assert.Equal(1, limiter.Acquire("a").Remaining);
    }

    [Fact]
    public void EvictIdleDropsOnlyTheBucketsThatAreFullAgain()
    {
        var clock = new ManualTimeProvider();
        using var limiter = new LocalRateLimiter(ThreePerSecond, clock);
        limiter.Acquire("light");
        LocalRateLimiterTests.Drain(limiter, "heavy");

        clock.AdvanceNanoseconds(333_333_334);
        limiter.EvictIdle();
        Assert.Equal(1, limiter.KeyCount);

        clock.AdvanceNanoseconds(333_333_334);
        limiter.EvictIdle();
        Assert.Equal(1, limiter.KeyCount);

        clock.AdvanceNanoseconds(333_333_334);
        limiter.EvictIdle();
        Assert.Equal(0, limiter.KeyCount);

        // A new bucket is exactly what the evicted one had become: full.
        Assert.Equal(3, LocalRateLimiterTests.Drain(limiter, "heavy"));
    }

    [Fact]
    public void ATimerEvictsIdleBucketsWithoutBeingAsked()
    {
        var clock = new ManualTimeProvider();
        using var limiter = new LocalRateLimiter(ThreePerSecond, clock);
        LocalRateLimiterTests.Drain(limiter, "client");

        clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(1, limiter.KeyCount);

        clock.Advance(TimeSpan.FromMilliseconds(2));
        Assert.Equal(0, limiter.KeyCount);
    }

    [Fact]
    public void EvictionMakesRoomUnderTheCap()
    {
        var clock = new ManualTimeProvider();
        using var limiter = new LocalRateLimiter(ThreePerSecond, clock, maxKeys: 1);
        limiter.Acquire("a");
        limiter.Acquire("b");
        Assert.Equal(1, limiter.Overflowed);

        clock.Advance(TimeSpan.FromSeconds(1));
        limiter.EvictIdle();
        limiter.Acquire("b");

        Assert.Equal(1, limiter.Overflowed);
        Assert.Equal(1, limiter.KeyCount);
    }

    [Fact]
    public void AcquireOnAnExistingKeyAllocatesNothing()
    {
        var clock = new ManualTimeProvider();
        using var limiter = new LocalRateLimiter(new RateLimitRule(1000, TimeSpan.FromSeconds(1)), clock);

        // The key as the gateway sees it: a slice of a request buffer, never a string.
        var buffer = "GET /x HTTP/1.1\r\nX-Api-Key: client-42\r\n".ToCharArray();
        var key = buffer.AsSpan(28, 9);
        var other = "client-7".AsSpan();
        limiter.Acquire(key);
        limiter.Acquire(other);
        for (var warmUp = 0; warmUp < 10_000; warmUp++)
        {
            limiter.Acquire(key);
            limiter.Acquire(other);
            clock.AdvanceNanoseconds(1000);
        }

        var allowed = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            allowed += limiter.Acquire(key).Allowed ? 1 : 0;
            allowed += limiter.Acquire(other, cost: 2).Allowed ? 1 : 0;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(2, limiter.KeyCount);
        Assert.InRange(allowed, 1, 19_999);
    }
}
