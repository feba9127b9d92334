using Gateway.Core.RateLimiting;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Gateway.Core.Tests.RateLimiting;

/// <summary>The Lua script in a real Redis computes the same GCRA as the local bucket, on the server's clock.</summary>
[Collection(SharedRedis.Name)]
public sealed class RedisRateStoreTests(RedisFixture redis)
{
    // Real time passes between the calls, so what Redis reports may be short of the frozen local clock by that much.
    private static readonly TimeSpan Drift = TimeSpan.FromSeconds(1);

    // 5 per hour: one permit every 12 minutes.
    private static readonly RateLimitRule FivePerHour = new(5, TimeSpan.FromHours(1));

    private readonly string _prefix = $"test:{Guid.NewGuid():N}:";

    [SkippableTheory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task ScriptDecidesLikeTheLocalBucket(int cost)
    {
        RedisEnvironment.Require();

        using var local = new LocalRateLimiter(FivePerHour, new ManualTimeProvider());
        await using var store = await RedisRateStore.ConnectAsync(redis.Endpoint!, _prefix);

        for (var i = 0; i < 7; i++)
        {
            var expected = local.Acquire("client", cost);
            var actual = await store.ReserveAsync("client", FivePerHour, cost, cost, CancellationToken.None);

            Assert.Equal(expected.Allowed ? cost : 0, actual.Granted);
            Assert.Equal(expected.Remaining, actual.Remaining);
            Assert.InRange(expected.ResetAfter - actual.ResetAfter, TimeSpan.Zero, Drift);
            Assert.InRange(expected.RetryAfter - actual.RetryAfter, TimeSpan.Zero, Drift);
        }
    }

    [SkippableTheory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(8)]
    public async Task ScriptRefillsOnePermitPerEmissionIntervalUpToTheCapacity(int intervals)
    {
        RedisEnvironment.Require();

        await using var store = await RedisRateStore.ConnectAsync(redis.Endpoint!, _prefix);
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Endpoint!);
        Assert.Equal(5, (await store.ReserveAsync("client", FivePerHour, 5, 1, CancellationToken.None)).Granted);

        // Moving the stored arrival time back by k intervals is exactly k intervals passing.
        await connection.GetDatabase().StringDecrementAsync(_prefix + "client", intervals * 720_000_000L);

        Assert.Equal(Math.Min(intervals, 5), (await store.ReserveAsync("client", FivePerHour, 10, 1, CancellationToken.None)).Granted);
        Assert.Equal(0, (await store.ReserveAsync("client", FivePerHour, 10, 1, CancellationToken.None)).Granted);
    }

    [SkippableFact]
    public async Task ScriptReservesBlocksOfWhatIsAvailableButNotLessThanNeeded()
    {
        RedisEnvironment.Require();

        var tenPerHour = new RateLimitRule(10, TimeSpan.FromHours(1));
        await using var store = await RedisRateStore.ConnectAsync(redis.Endpoint!, _prefix);

        Assert.Equal((4, 6), Taken(await store.ReserveAsync("client", tenPerHour, 4, 1, CancellationToken.None)));
        Assert.Equal((4, 2), Taken(await store.ReserveAsync("client", tenPerHour, 4, 1, CancellationToken.None)));
        Assert.Equal((0, 2), Taken(await store.ReserveAsync("client", tenPerHour, 4, 3, CancellationToken.None)));
        Assert.Equal((2, 0), Taken(await store.ReserveAsync("client", tenPerHour, 4, 1, CancellationToken.None)));
        var refused = await store.ReserveAsync("client", tenPerHour, 4, 1, CancellationToken.None);
        Assert.Equal((0, 0), Taken(refused));
        Assert.InRange(refused.RetryAfter, TimeSpan.FromMinutes(6) - Drift, TimeSpan.FromMinutes(6));
        Assert.InRange(refused.ResetAfter, TimeSpan.FromHours(1) - Drift, TimeSpan.FromHours(1));
    }

    [SkippableFact]
    public async Task BucketKeyExpiresWhenTheBucketIsFullAgain()
    {
        RedisEnvironment.Require();

        await using var store = await RedisRateStore.ConnectAsync(redis.Endpoint!, _prefix);
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Endpoint!);

        await store.ReserveAsync("client", FivePerHour, 3, 1, CancellationToken.None);

        var expiry = await connection.GetDatabase().KeyTimeToLiveAsync(_prefix + "client");
        Assert.InRange(expiry!.Value, TimeSpan.FromMinutes(36) - Drift, TimeSpan.FromMinutes(36));
    }

    private static (long Granted, long Remaining) Taken(RateReservation reservation) => (reservation.Granted, reservation.Remaining);
}
