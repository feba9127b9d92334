using BenchmarkDotNet.Attributes;
using Gateway.Core.RateLimiting;

namespace Gateway.Benchmarks;

/// <summary>
/// Token-bucket acquire: one thread on an existing key, two threads on the same key, and a distributed limiter on a
/// hot key: one thread acquiring in a tight loop, served from blocks reserved ahead, whose size adapts to the loop's
/// rate and the store's round trip (in the warm-up they grow to steady state). The distributed benchmark talks to a
/// real Redis when GATEWAY_BENCH_REDIS=host:port is set, so each operation also pays its share of the background
/// reservations (on the same cores), else to an in-memory store that grants at once (the path a request pays between
/// round trips). The rule is so large that no request is refused, so every operation is a granted permit.
/// </summary>
[MemoryDiagnoser]
public class RateLimiterBenchmarks : IDisposable
{
    private const int PerThread = 10_000;
    private static readonly RateLimitRule Huge = new(Permits: 10_000_000, Period: TimeSpan.FromSeconds(1), Burst: 1_000_000_000_000);

    private readonly LocalRateLimiter _local = new(Huge, TimeProvider.System);
    private DistributedRateLimiter _distributed = null!;
    private IAsyncDisposable? _redis;

    /// <summary>Creates the hot keys so every benchmark measures an existing key.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _local.Acquire("203.0.113.7");
        var address = Environment.GetEnvironmentVariable("GATEWAY_BENCH_REDIS");
        IRedisRateStore store = new InstantStore();
        if (address is not null)
        {
            var redis = RedisRateStore.ConnectAsync(address).GetAwaiter().GetResult();
            (store, _redis) = (redis, redis);
        }

        _distributed = new DistributedRateLimiter(Huge, store, TimeProvider.System, RedisFailureMode.FailOpen);
        _distributed.AcquireAsync("203.0.113.7").AsTask().GetAwaiter().GetResult();
    }

    /// <summary>One acquire on an existing key, uncontended.</summary>
    [Benchmark(Baseline = true)]
    public bool LocalAcquire() => _local.Acquire("203.0.113.7").Allowed;

    /// <summary>Two threads acquiring on the same key at once; the time is per acquire.</summary>
    [Benchmark(OperationsPerInvoke = 2 * PerThread)]
    public void LocalAcquireTwoThreadsOneKey() => Parallel.For(0, 2, _ =>
    {
        for (var i = 0; i < PerThread; i++)
        {
            _local.Acquire("203.0.113.7");
        }
    });

    /// <summary>One acquire through the distributed limiter on a hot key.</summary>
    [Benchmark]
    public async Task<bool> DistributedAcquireHotKey() => (await _distributed.AcquireAsync("203.0.113.7")).Allowed;

    /// <inheritdoc/>
    public void Dispose()
    {
        _local.Dispose();
        _distributed?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _redis?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        GC.SuppressFinalize(this);
    }

    /// <summary>A store that grants every reservation at once, standing in for a Redis with no network cost.</summary>
    private sealed class InstantStore : IRedisRateStore
    {
        public Task<RateReservation> ReserveAsync(string key, RateLimitRule rule, long want, long need, CancellationToken cancellationToken) =>
            Task.FromResult(new RateReservation(want, rule.Capacity - want, TimeSpan.Zero, TimeSpan.Zero));

        public Task PingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public int InstanceCount => 1;
    }
}
