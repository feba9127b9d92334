using System.Diagnostics;
using Gateway.Core.RateLimiting;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Gateway.Core.Tests.RateLimiting;

/// <summary>Redis killed in the middle of a run and started again, on a server of the test's own.</summary>
public sealed class RedisOutageTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly RateLimitRule FivePerHour = new(5, TimeSpan.FromHours(1));

    [SkippableFact]
    public async Task FailOpenLimitsLocallyWhileRedisIsDownAndRecoversByItself()
    {
        RedisEnvironment.Require();

        using var server = await RedisServer.StartAsync();
        var log = new ListLogger();
        await using var store = await RedisRateStore.ConnectAsync(server.Endpoint, "outage:");
        await using var limiter = new DistributedRateLimiter(FivePerHour, store, TimeProvider.System, RedisFailureMode.FailOpen, retryInterval: TimeSpan.FromMilliseconds(100), logger: log);
        Assert.True((await limiter.AcquireAsync("before")).Allowed);
        Assert.False(limiter.Degraded);

        server.Kill();
        await EventuallyAsync(async () => (await limiter.AcquireAsync("canary")).Allowed && limiter.Degraded);

        var during = new List<RateLimitDecision>();
        for (var i = 0; i < 7; i++)
        {
            during.Add(await limiter.AcquireAsync("during"));
        }

        Assert.Equal([true, true, true, true, true, false, false], during.Select(d => d.Allowed));
        Assert.True(limiter.Degraded);
        Assert.True(limiter.DegradedDecisions >= 8);

        await server.RestartAsync();
        await EventuallyAsync(() => Task.FromResult(!limiter.Degraded));
        await AssertServedByRedisAsync(limiter, server);

        // Each switch is logged by the thread that made it, just after it: the recovery's line may follow the flag.
        await EventuallyAsync(() => Task.FromResult(log.Lines.Count >= 2));
        Assert.Equal(2, log.Lines.Count);
        Assert.StartsWith("Warning:", log.Lines[0], StringComparison.Ordinal);
        Assert.StartsWith("Information:", log.Lines[1], StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task FailClosedDeniesWhileRedisIsDownAndRecoversByItself()
    {
        RedisEnvironment.Require();

        using var server = await RedisServer.StartAsync();
        await using var store = await RedisRateStore.ConnectAsync(server.Endpoint, "outage:");
        await using var limiter = new DistributedRateLimiter(FivePerHour, store, TimeProvider.System, RedisFailureMode.FailClosed, retryInterval: TimeSpan.FromMilliseconds(100));
        Assert.True((await limiter.AcquireAsync("before")).Allowed);

        server.Kill();
        await EventuallyAsync(async () => (await limiter.AcquireAsync("canary")).StoreUnavailable);

        for (var i = 0; i < 3; i++)
        {
            var decision = await limiter.AcquireAsync("during");
            Assert.False(decision.Allowed);
            Assert.True(decision.StoreUnavailable);
        }

        Assert.True(limiter.Degraded);

        await server.RestartAsync();
        await EventuallyAsync(() => Task.FromResult(!limiter.Degraded));
        await AssertServedByRedisAsync(limiter, server);
    }

    /// <summary>A fresh key's permit comes from Redis: its bucket key is there afterwards.</summary>
    private static async Task AssertServedByRedisAsync(DistributedRateLimiter limiter, RedisServer server)
    {
        var decision = await limiter.AcquireAsync("after");
        Assert.True(decision.Allowed);
        Assert.False(decision.StoreUnavailable);
        await using var connection = await ConnectionMultiplexer.ConnectAsync(server.Endpoint);
        Assert.True(await connection.GetDatabase().KeyExistsAsync("outage:after"));
    }

    /// <summary>Polls <paramref name="condition"/> until it holds, failing after a generous timeout.</summary>
    private static async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(waited.Elapsed < Patience, $"not reached within {Patience}");
            await Task.Delay(20);
        }
    }
}
