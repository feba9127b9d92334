using Gateway.Core.RateLimiting;

namespace Gateway.Core.Tests.RateLimiting;

/// <summary>
/// Adaptive block sizes against a store that answers after a round trip on the test clock: blocks grow under a hot
/// key and shrink when it cools, no request waits while its block holds permits, and grown blocks keep the
/// documented bound. Everything runs on one thread: store answers and the requests waiting for them complete inline,
/// inside <see cref="ManualTimeProvider.Advance"/>. That needs no synchronization context (xunit's would send every
/// continuation to the thread pool), so each test runs its body through <see cref="Task.Run(Func{Task})"/>.
/// </summary>
public sealed class AdaptiveBlockTests
{
    private static readonly TimeSpan RoundTrip = TimeSpan.FromMilliseconds(1);

    [Fact]
    public Task BlocksGrowUnderAHotKeyAndShrinkBackWhenItCools() => Task.Run(async () =>
    {
        // 100,000 per hour: blocks of 10 when cold, up to 1,000 (1% of the rule).
        var clock = new ManualTimeProvider();
        var store = new FakeRateStore(clock) { Latency = RoundTrip };
        await using var limiter = new DistributedRateLimiter(new RateLimitRule(100_000, TimeSpan.FromHours(1)), store, clock, RedisFailureMode.FailOpen, coldBlockLimit: 10);
        var requests = new Requests(limiter, clock);

        // Hot: a request every 5 µs, 200 per round trip, so a target of 4 × 200 (each reservation asks for half of
        // it or more). Requests wait only while the blocks grow, in the first round trips, then never again.
        requests.Send(count: 4_000, gap: TimeSpan.FromTicks(50));
        var growing = requests.Waited;
        requests.Send(count: 20_000, gap: TimeSpan.FromTicks(50));
        var hot = store.Wants;
        Assert.Equal(10, hot[0]);
        Assert.InRange(hot.Max(), 400, 800);
        Assert.InRange(growing, 1, 20);
        Assert.Equal(growing, requests.Waited);

        // Cold: a request every 10 ms. Once the held permits are spent down, reservations are cold-sized again.
        requests.Send(count: 2_000, gap: TimeSpan.FromMilliseconds(10));
        var cold = store.Wants.Skip(hot.Count).ToList();
        Assert.NotEmpty(cold);
        Assert.InRange(cold[^1], 1, limiter.ColdBlockSize);
        Assert.Equal(growing, requests.Waited);
        Assert.Equal(requests.Sent, requests.Allowed);
    });

    [Fact]
    public Task NoAcquireWaitsOnTheStoreWhileTheBlockHoldsPermits() => Task.Run(async () =>
    {
        var clock = new ManualTimeProvider();
        var store = new FakeRateStore(clock) { Latency = RoundTrip };
        await using var limiter = new DistributedRateLimiter(new RateLimitRule(1000, TimeSpan.FromHours(1)), store, clock, RedisFailureMode.FailOpen);

        // The first request has no block yet: it waits for one (10 permits).
        var first = limiter.AcquireAsync("client");
        Assert.False(first.IsCompleted);
        clock.Advance(RoundTrip);
        Assert.True(first.IsCompletedSuccessfully);
        Assert.True((await first).Allowed);

        // The next 9 are served at once, the next block being reserved meanwhile (from the 5th on, under half held).
        for (var i = 0; i < 9; i++)
        {
            var decision = limiter.AcquireAsync("client");
            Assert.True(decision.IsCompletedSuccessfully, $"request {i + 2} waited");
            Assert.True((await decision).Allowed);
        }

        Assert.Equal(2, store.Reservations);
        Assert.Equal(1, store.Pending);

        // Only a request that finds the block empty waits, for the reservation already under way.
        var dry = limiter.AcquireAsync("client");
        Assert.False(dry.IsCompleted);
        clock.Advance(RoundTrip);
        Assert.True(dry.IsCompletedSuccessfully);
        Assert.True((await dry).Allowed);
        Assert.Equal(2, store.Reservations);
    });

    [Fact]
    public Task ThreeInstancesWithGrownBlocksNeverAdmitMoreThanTheGcraCountPlusTheDocumentedBound() => Task.Run(async () =>
    {
        // 20,000 per 10 s: one permit every 500 µs, blocks of 10 to 200, bound 3 × 200.
        var clock = new ManualTimeProvider();
        var store = new FakeRateStore(clock) { Latency = RoundTrip };
        var rule = new RateLimitRule(20_000, TimeSpan.FromSeconds(10));
        await using var first = new DistributedRateLimiter(rule, store, clock, RedisFailureMode.FailOpen, coldBlockLimit: 10);
        await using var second = new DistributedRateLimiter(rule, store, clock, RedisFailureMode.FailOpen, coldBlockLimit: 10);
        await using var third = new DistributedRateLimiter(rule, store, clock, RedisFailureMode.FailOpen, coldBlockLimit: 10);
        DistributedRateLimiter[] instances = [first, second, third];
        var bound = instances.Sum(instance => instance.MaxBlockSize);
        var requests = instances.Select(instance => new Requests(instance, clock)).ToArray();
        var admitted = new List<long>();
        var random = new Random(11);

        // Three rounds: a hot spell (about 40 requests per round trip on each instance, 60 times the limit, so blocks
        // grow to about 160 and the bucket runs empty) with a few lulls in which the bucket refills while the
        // instances hold permits, then a cool spell in which blocks shrink and the bucket fills up again.
        for (var round = 0; round < 3; round++)
        {
            for (var step = 0; step < 50_000; step++)
            {
                requests[random.Next(3)].Send(1, TimeSpan.Zero, admitted);
                clock.AdvanceNanoseconds(random.Next(16_667));
                if (random.Next(10_000) == 0)
                {
                    clock.Advance(TimeSpan.FromMilliseconds(random.Next(20, 2_500)));
                }
            }

            for (var step = 0; step < 3_000; step++)
            {
                requests[random.Next(3)].Send(1, TimeSpan.Zero, admitted);
                clock.AdvanceNanoseconds(random.Next(8_000_000));
            }
        }

        clock.Advance(RoundTrip);
        Assert.Equal(0, store.Pending);
        Assert.All(requests, r => Assert.Equal(r.Sent, r.Decided));
        Assert.InRange(store.Wants.Max(), first.ColdBlockSize + 1, first.MaxBlockSize);

        // Above -1: some window reached the exact count, so the limit was really under pressure.
        Assert.InRange(WorstOvershoot(admitted, TimeSpan.FromMilliseconds(0.5), rule.Capacity), -1, bound);
    });

    /// <summary>
    /// The most by which the admissions in any window [t_i, t_j] exceed the exact GCRA count, capacity + (t_j - t_i) /
    /// interval, in permits (exceeding it by more than a whole number b is the same as exceeding the floored count by
    /// more than b). Linear: the window's excess is a difference of two prefix terms.
    /// </summary>
    private static double WorstOvershoot(List<long> admittedAt, TimeSpan interval, long capacity)
    {
        var unit = interval.Ticks * 100;
        var lowest = long.MaxValue;
        var worst = long.MinValue;
        for (var j = 0; j < admittedAt.Count; j++)
        {
            var term = (j * unit) - admittedAt[j];
            lowest = Math.Min(lowest, term);
            worst = Math.Max(worst, term - lowest + unit);
        }

        return ((double)worst / unit) - capacity;
    }

    /// <summary>
    /// A client of one limiter that sends requests for one key and waits for each answer: while one waits for the
    /// store, it sends nothing. (A reservation with several waiters would resume them on the thread pool, out of the
    /// test's control.)
    /// </summary>
    private sealed class Requests(DistributedRateLimiter limiter, ManualTimeProvider clock)
    {
        private Task? _waiting;

        public int Sent { get; private set; }

        public int Waited { get; private set; }

        public int Decided { get; private set; }

        public int Allowed { get; private set; }

        /// <summary>
        /// Tries <paramref name="count"/> times, <paramref name="gap"/> apart, to send a request (skipped while the
        /// last one waits); the times of those allowed go to <paramref name="admitted"/>.
        /// </summary>
        public void Send(int count, TimeSpan gap, List<long>? admitted = null)
        {
            for (var i = 0; i < count; i++)
            {
                if (_waiting is not { IsCompleted: false })
                {
                    Issue(admitted);
                }

                clock.Advance(gap);
            }
        }

        private void Issue(List<long>? admitted)
        {
            Sent++;
            var decision = limiter.AcquireAsync("client");
            if (decision.IsCompleted)
            {
                Decide(decision.Result, admitted);
                return;
            }

            Waited++;
            _waiting = decision.AsTask().ContinueWith(task => Decide(task.Result, admitted), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        private void Decide(RateLimitDecision decision, List<long>? admitted)
        {
            Decided++;
            if (decision.Allowed)
            {
                Allowed++;
                admitted?.Add(clock.GetTimestamp());
            }
        }
    }
}
