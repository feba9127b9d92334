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

        // 1000 per hour: one permit every 3.6 s, BatchSize 10, so the bound is 2 × 10.
        var rule = new RateLimitRule(1000, TimeSpan.FromHours(1));
        var prefix = $"test:{Guid.NewGuid():N}:";
        await using var admin = await ConnectionMultiplexer.ConnectAsync(redis.Endpoint! + ",allowAdmin=true");
        await using var firstStore = await RedisRateStore.ConnectAsync(redis.Endpoint!, prefix);
        await using var secondStore = await RedisRateStore.ConnectAsync(redis.Endpoint!, prefix);
        await using var first = new DistributedRateLimiter(rule, firstStore, TimeProvider.System, RedisFailureMode.FailClosed);
        await using var second = new DistributedRateLimiter(rule, secondStore, TimeProvider.System, RedisFailureMode.FailClosed);
        var bound = first.BatchSize + second.BatchSize;
        var scriptsBefore = await ScriptCallsAsync(admin);
        var elapsed = Stopwatch.StartNew();

        var counts = await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            var limiter = worker % 2 == 0 ? first : second;
            var allowed = 0;
            for (var i = 0; i < 1000; i++)
            {
                var decision = await limiter.AcquireAsync("client");
                Assert.False(decision.StoreUnavailable);
                allowed += decision.Allowed ? 1 : 0;
            }

            return allowed;
        })));

        var refilled = (long)(elapsed.Elapsed / TimeSpan.FromSeconds(3.6));
        var admitted = counts.Sum();
        var roundTrips = await ScriptCallsAsync(admin) - scriptsBefore;
        output.WriteLine($"admitted {admitted} of 8000 in {elapsed.Elapsed}, {roundTrips} round trips");
        Assert.InRange(admitted, 1000 - bound, 1000 + refilled + bound);
        Assert.InRange(roundTrips, 1, (admitted / first.BatchSize) + 20);
        Assert.False(first.Degraded || second.Degraded);
    }

    private static async Task<long> ScriptCallsAsync(ConnectionMultiplexer admin)
    {
        var server = admin.GetServers()[0];
        var stats = await server.InfoAsync("commandstats");
        return stats.SelectMany(group => group)
            .Where(pair => pair.Key is "cmdstat_eval" or "cmdstat_evalsha")
            .Sum(pair => long.Parse(pair.Value.Split(',')[0]["calls=".Length..], CultureInfo.InvariantCulture));
    }
}
