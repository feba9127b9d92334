using System.Text;
using Gateway.Core.RateLimiting;
using Gateway.Core.Tests.Upstreams;
using StackExchange.Redis;

namespace Gateway.Core.Tests.RateLimiting;

/// <summary>Stores on one real Redis count each other through their heartbeats.</summary>
[Collection(SharedRedis.Name)]
public sealed class InstanceHeartbeatTests(RedisFixture redis)
{
    private readonly string _prefix = $"test:{Guid.NewGuid():N}:";

    [SkippableFact]
    public async Task StoresSharingARedisCountEachOtherAndOneThatLeavesIsNoLongerCounted()
    {
        RedisEnvironment.Require();

        // A clock that never moves: the test beats by hand.
        var clock = new ManualTimeProvider();
        await using var first = await RedisRateStore.ConnectAsync(redis.Endpoint!, _prefix, clock);
        var second = await RedisRateStore.ConnectAsync(redis.Endpoint!, _prefix, clock);
        Assert.Equal(1, first.InstanceCount);

        await first.Heartbeat.BeatAsync();
        await second.Heartbeat.BeatAsync();
        await first.Heartbeat.BeatAsync();
        Assert.Equal((2, 2), (first.InstanceCount, second.InstanceCount));

        await second.DisposeAsync();
        await first.Heartbeat.BeatAsync();
        Assert.Equal(1, first.InstanceCount);
    }

    [SkippableFact]
    public async Task TheTimerBeatsAndInstancesUnseenForTheTimeToLiveAreDropped()
    {
        RedisEnvironment.Require();

        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Endpoint!);
        var database = connection.GetDatabase();
        var now = await ServerMillisecondsAsync(database);
        var ttl = (long)InstanceHeartbeat.TimeToLive.TotalMilliseconds;
        await database.SortedSetAddAsync(InstancesKey(), "alive", now - ttl + 60_000);
        await database.SortedSetAddAsync(InstancesKey(), "gone", now - ttl - 1);
        var clock = new ManualTimeProvider();
        await using var store = await RedisRateStore.ConnectAsync(redis.Endpoint!, _prefix, clock);

        // The first beat is due at once, the next one an interval later.
        clock.Advance(TimeSpan.Zero);
        await Poll.UntilAsync(() => store.InstanceCount == 2, "the first beat to count this store and the live one");
        await database.SortedSetRemoveAsync(InstancesKey(), "alive");

        // A tick that finds a beat under way (the one asked for when Redis connected may still run) skips it, so the
        // clock moves on by an interval each time the count is not yet down.
        await Poll.UntilAsync(
            () =>
            {
                if (store.InstanceCount == 1)
                {
                    return true;
                }

                clock.Advance(InstanceHeartbeat.Interval);
                return false;
            },
            "a later beat to drop the removed instance");

        Assert.Null(await database.SortedSetScoreAsync(InstancesKey(), "gone"));
        Assert.InRange((await database.KeyTimeToLiveAsync(InstancesKey()))!.Value, TimeSpan.Zero, InstanceHeartbeat.TimeToLive);
    }

    [SkippableTheory]
    [InlineData("instances")]
    [InlineData("\u00ffinstances")]
    public async Task NoBucketKeyIsTheSetOfInstances(string key)
    {
        RedisEnvironment.Require();

        await using var store = await RedisRateStore.ConnectAsync(redis.Endpoint!, _prefix, new ManualTimeProvider());
        await store.Heartbeat.BeatAsync();

        Assert.Equal(1, (await store.ReserveAsync(key, new RateLimitRule(5, TimeSpan.FromHours(1)), 1, 1, CancellationToken.None)).Granted);
        await store.Heartbeat.BeatAsync();
        Assert.Equal(1, store.InstanceCount);
    }

    /// <summary>The documented key of the set: the prefix, the byte 0xFF (never part of UTF-8), and "instances".</summary>
    private RedisKey InstancesKey() => (byte[])[.. Encoding.UTF8.GetBytes(_prefix), 0xFF, .. "instances"u8];

    private static async Task<long> ServerMillisecondsAsync(IDatabase database)
    {
        var time = (RedisResult[])(await database.ExecuteAsync("TIME"))!;
        return ((long)time[0] * 1000) + ((long)time[1] / 1000);
    }
}
