using System.Diagnostics;
using System.Globalization;
using Gateway.Core.RateLimiting;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Gateway.Core.Tests.RateLimiting;

/// <summary>Two gateway instances sharing one key through a real Redis.</summary>
[Collection(SharedRedis.Name)]
public sealed class DistributedRateLimiterRedisTests(RedisFixture redis, ITestOutputHelper output)
{
    [SkippableFact]
    public async Task TwoInstancesSharingAKeyStayWithinTheLimitPlusTheDocumentedBound()
    {
        RedisEnvironment.Require();

        // 1000 per hour: one permit every 3.6 s, blocks of at most 10, so the bound is 2 × 10. A block is topped up
        // once half is spent, so a round trip brings at least half a block, until the bucket runs out.
        var run = await RunAsync(new RateLimitRule(1000, TimeSpan.FromHours(1)), perWorker: 1000);

        Assert.InRange(run.Admitted, 1000 - run.Bound, 1000 + run.Refilled + run.Bound);
        Assert.InRange(run.RoundTrips, 1, (run.Admitted / 5) + 20);
    }

    [SkippableFact]
    public async Task TwoInstancesSharingAHotKeyStayWithinTheLimitPlusTheDocumentedBoundWhileBlocksGrow()
    {
        RedisEnvironment.Require();

        // 200,000 per hour: blocks of 100 when cold, up to 2,000 on a key as hot as this loop, so the bound is 2 × 2,000.
        var run = await RunAsync(new RateLimitRule(200_000, TimeSpan.FromHours(1)), perWorker: 40_000);

        Assert.Equal(4000, run.Bound);
        Assert.InRange(run.Admitted, 200_000 - run.Bound, 200_000 + run.Refilled + run.Bound);
    }

    /// <summary>
    /// Two instances (each with its own connection) and 8 workers, half on each, acquiring on one key as fast as they
    /// can, <paramref name="perWorker"/> times each; the permits refilled meanwhile are counted from the elapsed time.
    /// </summary>
    private async Task<Run> RunAsync(RateLimitRule rule, int perWorker)
    {
        var prefix = $"test:{Guid.NewGuid():N}:";
        await using var admin = await ConnectionMultiplexer.ConnectAsync(redis.Endpoint! + ",allowAdmin=true");
        await using var firstStore = await RedisRateStore.ConnectAsync(redis.Endpoint!, prefix);
        await using var secondStore = await RedisRateStore.ConnectAsync(redis.Endpoint!, prefix);
        await using var first = new DistributedRateLimiter(rule, firstStore, TimeProvider.System, RedisFailureMode.FailClosed);
        await using var second = new DistributedRateLimiter(rule, secondStore, TimeProvider.System, RedisFailureMode.FailClosed);
        var scriptsBefore = await ScriptCallsAsync(admin);
        var elapsed = Stopwatch.StartNew();

        var counts = await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            var limiter = worker % 2 == 0 ? first : second;
            var allowed = 0;
            for (var i = 0; i < perWorker; i++)
            {
                var decision = await limiter.AcquireAsync("client");
                Assert.False(decision.StoreUnavailable);
                allowed += decision.Allowed ? 1 : 0;
            }

            return allowed;
        })));

        var refilled = (long)(elapsed.Elapsed / (rule.Period / rule.Permits));
        var run = new Run(counts.Sum(), refilled, first.MaxBlockSize + second.MaxBlockSize, await ScriptCallsAsync(admin) - scriptsBefore);
        output.WriteLine($"admitted {run.Admitted} of {8 * perWorker} in {elapsed.Elapsed}, {run.RoundTrips} round trips");
        Assert.False(first.Degraded || second.Degraded);
        return run;
    }

    private static async Task<long> ScriptCallsAsync(ConnectionMultiplexer admin)
    {
        var server = admin.GetServers()[0];
        var stats = await server.InfoAsync("commandstats");
        return stats.SelectMany(group => group)
            .Where(pair => pair.Key is "cmdstat_eval" or "cmdstat_evalsha")
            .Sum(pair => long.Parse(pair.Value.Split(',')[0]["calls=".Length..], CultureInfo.InvariantCulture));
    }

    /// <summary>What a run admitted, the permits refilled meanwhile, the documented bound and the round trips it took.</summary>
    private sealed record Run(long Admitted, long Refilled, long Bound, long RoundTrips);
}
