using Gateway.Core.RateLimiting;

namespace Gateway.Core.Tests.RateLimiting;

/// <summary>Batching, the overshoot bound and the failure modes, against an in-process store on the test clock.</summary>
public sealed class DistributedRateLimiterTests
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(500);

    [Theory]
    [InlineData(1000, 0, 100, 10, 10)]
    [InlineData(50, 0, 100, 1, 1)]
    [InlineData(1_000_000, 0, 100, 100, 10_000)]
    [InlineData(100_000, 500, 100, 5, 5)]
    [InlineData(10_000, 0, 3, 3, 100)]
    public async Task BlocksAreAtMostOnePercentOfTheRuleAndSmallerForColdKeys(long permits, long burst, int coldBlockLimit, long cold, long max)
    {
        var clock = new ManualTimeProvider();
        await using var limiter = new DistributedRateLimiter(new RateLimitRule(permits, TimeSpan.FromMinutes(1), burst), new FakeRateStore(clock), clock, RedisFailureMode.FailOpen, coldBlockLimit);

        Assert.Equal(cold, limiter.ColdBlockSize);
        Assert.Equal(max, limiter.MaxBlockSize);
    }

    [Fact]
    public async Task ServesRequestsFromBlocksReservedAheadOfNeed()
    {
        var clock = new ManualTimeProvider();
        var store = new FakeRateStore(clock);
        await using var limiter = new DistributedRateLimiter(new RateLimitRule(1000, TimeSpan.FromHours(1)), store, clock, RedisFailureMode.FailOpen);

        for (var i = 1; i <= 100; i++)
        {
            var decision = await limiter.AcquireAsync("client");
            Assert.True(decision.Allowed);
            Assert.Equal(1000 - i, decision.Remaining);
        }

        // Blocks are topped up in the background once half is spent (never above the target held), so a key costs
        // between one round trip per block and one per half block, and no request waits for one.
        Assert.Equal(10, limiter.MaxBlockSize);
        Assert.InRange(store.Reservations, 100 / 10, 2 * 100 / 10);
    }

    [Fact]
    public async Task ARefusalIsRememberedUntilItsRetryTime()
    {
        var clock = new ManualTimeProvider();
        var store = new FakeRateStore(clock);
        await using var limiter = new DistributedRateLimiter(new RateLimitRule(10, TimeSpan.FromHours(1)), store, clock, RedisFailureMode.FailOpen);
        for (var i = 0; i < 10; i++)
        {
            Assert.True((await limiter.AcquireAsync("client")).Allowed);
        }

        Assert.Equal(new RateLimitDecision(false, 10, 0, TimeSpan.FromHours(1), TimeSpan.FromMinutes(6)), await limiter.AcquireAsync("client"));
        var roundTrips = store.Reservations;
        clock.Advance(TimeSpan.FromMinutes(5));
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(TimeSpan.FromMinutes(1), (await limiter.AcquireAsync("client")).RetryAfter);
        }

        Assert.Equal(roundTrips, store.Reservations);
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True((await limiter.AcquireAsync("client")).Allowed);
        Assert.Equal(roundTrips + 1, store.Reservations);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TwoInstancesNeverAdmitMoreThanTheGcraCountPlusTheDocumentedBound(bool lulls)
    {
        // 1000 per 10 s: one permit every 10 ms; blocks of at most 10, so the bound is 2 × 10.
        var clock = new ManualTimeProvider();
        var store = new FakeRateStore(clock);
        var rule = new RateLimitRule(1000, TimeSpan.FromSeconds(10));
        await using var first = new DistributedRateLimiter(rule, store, clock, RedisFailureMode.FailOpen);
        await using var second = new DistributedRateLimiter(rule, store, clock, RedisFailureMode.FailOpen);
        var interval = TimeSpan.FromMilliseconds(10).Ticks * 100;
        var bound = 2 * first.MaxBlockSize;
        var random = new Random(7);
        var start = clock.GetTimestamp();
        var admitted = new List<long>();

        // About 2000 requests a second against 100 a second: the shared bucket is under pressure, except in
        // lulls, when it refills while the instances still hold permits (where the overshoot comes from).
        for (var step = 0; step < 20_000; step++)
        {
            var limiter = random.Next(2) == 0 ? first : second;
            if ((await limiter.AcquireAsync("client")).Allowed)
            {
                admitted.Add(clock.GetTimestamp());
            }

            clock.AdvanceNanoseconds(random.Next(1_000_000));
            if (lulls && random.Next(500) == 0)
            {
                clock.Advance(TimeSpan.FromMilliseconds(random.Next(500, 12_000)));
            }
        }

        // Every window [t_i, t_j] between two admissions: at most the exact GCRA count plus the bound.
        var worst = long.MinValue;
        for (var i = 0; i < admitted.Count; i++)
        {
            for (var j = i; j < admitted.Count; j++)
            {
                worst = Math.Max(worst, j - i + 1 - (1000 + ((admitted[j] - admitted[i]) / interval)));
            }
        }

        Assert.InRange(worst, 0, bound);
        if (!lulls)
        {
            // Batching does not starve either: under steady pressure every permit is used.
            Assert.Equal(1000 + ((clock.GetTimestamp() - start) / interval), admitted.Count);
        }
    }

    [Fact]
    public async Task PermitsHeldWhileTheBucketRefillsAreTheOvershootAndTheSweepDropsThem()
    {
        var clock = new ManualTimeProvider();
        var store = new FakeRateStore(clock);
        var rule = new RateLimitRule(1000, TimeSpan.FromSeconds(10));
        await using var first = new DistributedRateLimiter(rule, store, clock, RedisFailureMode.FailOpen, retryInterval: TimeSpan.FromSeconds(1));
        await using var second = new DistributedRateLimiter(rule, store, clock, RedisFailureMode.FailOpen, retryInterval: TimeSpan.FromSeconds(1));

        // The first instance reserves a block of 10 and spends 1; 100 ms later the shared bucket is full again.
        Assert.True((await first.AcquireAsync("client")).Allowed);
        clock.Advance(TimeSpan.FromMilliseconds(100));

        // At that instant the bucket gives its 1000 and the first instance its 9 held permits: 9 over, within 2 × 10.
        Assert.Equal(1000, await CountAllowedAsync(second, "client", 2000));
        Assert.Equal(9, await CountAllowedAsync(first, "client", 100));

        // Once the bucket would be full, the sweep (every retry interval) drops held permits instead.
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.True((await first.AcquireAsync("client")).Allowed);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1000, await CountAllowedAsync(second, "client", 2000));
        Assert.Equal(0, await CountAllowedAsync(first, "client", 100));
    }

    [Fact]
    public async Task FailOpenLimitsLocallyWhileTheStoreIsDownAndLogsTheSwitch()
    {
        var clock = new ManualTimeProvider();
        var store = new FakeRateStore(clock) { Down = true };
        var log = new ListLogger();
        await using var limiter = new DistributedRateLimiter(new RateLimitRule(5, TimeSpan.FromHours(1)), store, clock, RedisFailureMode.FailOpen, logger: log);

        var decisions = new List<RateLimitDecision>();
        for (var i = 0; i < 7; i++)
        {
            decisions.Add(await limiter.AcquireAsync("client"));
        }

        Assert.Equal([true, true, true, true, true, false, false], decisions.Select(d => d.Allowed));
        Assert.Equal(TimeSpan.FromMinutes(12), decisions[^1].RetryAfter);
        Assert.DoesNotContain(decisions, d => d.StoreUnavailable);
        Assert.True(limiter.Degraded);
        Assert.Equal(7, limiter.DegradedDecisions);
        Assert.Equal(1, store.Reservations);
        Assert.Equal(["Warning: Rate limit store unreachable (connection refused): answering FailOpen until it answers again"], log.Lines);
    }

    [Theory]
    [InlineData(1, 60, 12)]
    [InlineData(2, 30, 6)]
    [InlineData(3, 20, 4)]
    [InlineData(4, 15, 3)]
    public async Task FailOpenAdmitsThisInstancesShareOfTheCapacityAndTheRateWhileTheStoreIsDown(int instances, int atOnce, int inTwelveSeconds)
    {
        // 60 per minute, known to be shared by n instances: each admits 60/n at once, then 1/n permit a second.
        var clock = new ManualTimeProvider();
        var store = new FakeRateStore(clock) { Down = true, InstanceCount = instances };
        await using var limiter = new DistributedRateLimiter(new RateLimitRule(60, TimeSpan.FromMinutes(1)), store, clock, RedisFailureMode.FailOpen);

        Assert.Equal(atOnce, await CountAllowedAsync(limiter, "client", 100));
        clock.Advance(TimeSpan.FromSeconds(12));
        Assert.Equal(inTwelveSeconds, await CountAllowedAsync(limiter, "client", 100));
        Assert.True(limiter.Degraded);
    }

    [Fact]
    public async Task TheShareIsTakenOnEnteringTheDegradedModeAndKeptUntilItEnds()
    {
        var clock = new ManualTimeProvider();
        var store = new FakeRateStore(clock) { Down = true, InstanceCount = 2 };
        await using var limiter = new DistributedRateLimiter(new RateLimitRule(10, TimeSpan.FromHours(1)), store, clock, RedisFailureMode.FailOpen, retryInterval: RetryInterval);

        // Cut off with 2 instances known: half the rule per key, even after the count changes.
        Assert.Equal(5, await CountAllowedAsync(limiter, "first", 20));
        store.InstanceCount = 1;
        Assert.Equal(5, await CountAllowedAsync(limiter, "second", 20));

        // The next outage takes the count known then: the whole rule, on fresh buckets.
        await RecoverAndLoseTheStoreAsync(limiter, store, clock);
        Assert.Equal(10, await CountAllowedAsync(limiter, "first", 20));

        // With the count unchanged, the buckets carry over from one outage to the next (as with the whole rule before).
        await RecoverAndLoseTheStoreAsync(limiter, store, clock);
        Assert.Equal(0, await CountAllowedAsync(limiter, "first", 20));
    }

    [Fact]
    public async Task FailClosedDeniesWithStoreUnavailableWhileTheStoreIsDown()
    {
        var clock = new ManualTimeProvider();
        var store = new FakeRateStore(clock) { Down = true };
        await using var limiter = new DistributedRateLimiter(new RateLimitRule(5, TimeSpan.FromHours(1)), store, clock, RedisFailureMode.FailClosed, retryInterval: RetryInterval);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(new RateLimitDecision(false, 5, 0, TimeSpan.Zero, RetryInterval, StoreUnavailable: true), await limiter.AcquireAsync("client"));
        }

        Assert.True(limiter.Degraded);
        Assert.Equal(3, limiter.DegradedDecisions);
    }

    [Fact]
    public async Task WhileDegradedOnlyATimerPingsTheStoreAndItsAnswerEndsTheDegradedMode()
    {
        var clock = new ManualTimeProvider();
        var store = new FakeRateStore(clock) { Down = true };
        var log = new ListLogger();
        await using var limiter = new DistributedRateLimiter(new RateLimitRule(1000, TimeSpan.FromHours(1)), store, clock, RedisFailureMode.FailOpen, retryInterval: RetryInterval, logger: log);
        await limiter.AcquireAsync("client");

        for (var i = 0; i < 100; i++)
        {
            await limiter.AcquireAsync("client");
        }

        Assert.Equal(1, store.Reservations);
        Assert.Equal(0, store.Pings);

        clock.Advance(RetryInterval);
        Assert.Equal(1, store.Pings);
        Assert.True(limiter.Degraded);

        store.Down = false;
        clock.Advance(RetryInterval / 2);
        Assert.Equal(1, store.Pings);
        clock.Advance(RetryInterval / 2);
        Assert.Equal(2, store.Pings);
        Assert.False(limiter.Degraded);
        Assert.Equal("Information: Rate limit store reachable again (101 degraded decisions so far)", log.Lines[^1]);

        Assert.True((await limiter.AcquireAsync("client")).Allowed);
        Assert.Equal(2, store.Reservations);
        Assert.Equal(101, limiter.DegradedDecisions);
    }

    [Fact]
    public async Task PastTheKeyCapRequestsReserveExactlyTheirCost()
    {
        var clock = new ManualTimeProvider();
        var store = new FakeRateStore(clock);
        await using var limiter = new DistributedRateLimiter(new RateLimitRule(1000, TimeSpan.FromHours(1)), store, clock, RedisFailureMode.FailOpen, maxKeys: 1);

        await limiter.AcquireAsync("first");
        for (var i = 0; i < 5; i++)
        {
            Assert.True((await limiter.AcquireAsync("second")).Allowed);
        }

        Assert.Equal(6, store.Reservations);
        Assert.Equal(994, (await limiter.AcquireAsync("second")).Remaining);
    }

    /// <summary>Lets the degraded <paramref name="limiter"/> find the store again, then loses it on a fresh key's reservation.</summary>
    private static async Task RecoverAndLoseTheStoreAsync(DistributedRateLimiter limiter, FakeRateStore store, ManualTimeProvider clock)
    {
        store.Down = false;
        clock.Advance(RetryInterval);
        Assert.False(limiter.Degraded);
        store.Down = true;
        await limiter.AcquireAsync(Guid.NewGuid().ToString());
        Assert.True(limiter.Degraded);
    }

    private static async Task<int> CountAllowedAsync(DistributedRateLimiter limiter, string key, int attempts)
    {
        var allowed = 0;
        for (var i = 0; i < attempts; i++)
        {
            allowed += (await limiter.AcquireAsync(key)).Allowed ? 1 : 0;
        }

        return allowed;
    }
}
