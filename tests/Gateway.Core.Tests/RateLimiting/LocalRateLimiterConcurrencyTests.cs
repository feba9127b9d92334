using Gateway.Core.RateLimiting;

namespace Gateway.Core.Tests.RateLimiting;

/// <summary>Threads racing on one key get exactly what the GCRA allows, never a permit more.</summary>
public sealed class LocalRateLimiterConcurrencyTests
{
    private const int Threads = 8;

    // 1000 per minute: one permit every 60 ms, 1000 at once.
    private static readonly RateLimitRule ThousandPerMinute = new(1000, TimeSpan.FromMinutes(1));

    [Fact]
    public void ThreadsHammeringOneKeyWithFrozenTimeGetExactlyTheCapacity()
    {
        // 80,000 attempts for 50,000 permits, so that the threads contend for most of the run; on ten keys in
        // turn, so that the threads start together ten times.
        using var limiter = new LocalRateLimiter(new RateLimitRule(50_000, TimeSpan.FromMinutes(1)), new ManualTimeProvider());

        for (var key = 0; key < 10; key++)
        {
            Assert.Equal(50_000, Hammer(limiter, $"client-{key}", attemptsPerThread: 10_000));
        }
    }

    [Fact]
    public void ThreadsHammeringOneKeyWhileTimeStepsGetExactlyTheGcraCount()
    {
        var clock = new ManualTimeProvider();
        using var limiter = new LocalRateLimiter(ThousandPerMinute, clock);
        var interval = TimeSpan.FromMilliseconds(60);
        var elapsed = TimeSpan.Zero;
        var granted = Hammer(limiter, "client", attemptsPerThread: 500);

        for (var round = 1; round <= 30; round++)
        {
            // Steps that are not multiples of the interval: the fractions must carry over exactly.
            var step = TimeSpan.FromMilliseconds((round * 37) + 13);
            clock.Advance(step);
            elapsed += step;
            granted += Hammer(limiter, "client", attemptsPerThread: 500);

            // Demand exceeds supply in every round, so the bucket is drained each time: the count is
            // capacity + the whole intervals elapsed since the start.
            Assert.Equal(1000 + (long)(elapsed / interval), granted);
        }
    }

    [Fact]
    public void EvictionRacingWithAcquiresNeverGrantsAnExtraPermit()
    {
        var clock = new ManualTimeProvider();
        using var limiter = new LocalRateLimiter(new RateLimitRule(100, TimeSpan.FromSeconds(1)), clock);
        var keys = Enumerable.Range(0, 10).Select(i => $"client-{i}").ToArray();
        var granted = 0L;

        for (var round = 0; round < 20; round++)
        {
            // Every bucket is full again at the start of a round, so eviction may take it at any moment.
            var stop = false;
            var evictor = new Thread(() =>
            {
                while (!Volatile.Read(ref stop))
                {
                    limiter.EvictIdle();
                }
            });
            evictor.Start();
            granted += RunThreads(thread =>
            {
                var mine = 0L;
                for (var i = 0; i < 300; i++)
                {
                    mine += limiter.Acquire(keys[(i + thread) % keys.Length]).Allowed ? 1 : 0;
                }

                return mine;
            });
            Volatile.Write(ref stop, true);
            evictor.Join();
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(20 * keys.Length * 100, granted);
    }

    private static long Hammer(LocalRateLimiter limiter, string key, int attemptsPerThread) => RunThreads(_ =>
    {
        var mine = 0L;
        for (var i = 0; i < attemptsPerThread; i++)
        {
            mine += limiter.Acquire(key).Allowed ? 1 : 0;
        }

        return mine;
    });

    /// <summary>Runs <paramref name="work"/> on <see cref="Threads"/> threads released together; sums their results.</summary>
    private static long RunThreads(Func<int, long> work)
    {
        using var start = new Barrier(Threads);
        var results = new long[Threads];
        var threads = Enumerable.Range(0, Threads).Select(index => new Thread(() =>
        {
            start.SignalAndWait();
            results[index] = work(index);
        })).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        return results.Sum();
    }
}
