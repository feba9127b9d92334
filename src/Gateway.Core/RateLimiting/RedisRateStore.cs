using StackExchange.Redis;

namespace Gateway.Core.RateLimiting;

/// <summary>
/// GCRA buckets in Redis, one string key per bucket holding its theoretical arrival time in microseconds of the Redis
/// server's clock (TIME), so that every gateway instance reads the same clock. One Lua script reserves a block of
/// permits atomically with the same arithmetic as <see cref="Gcra"/>, the emission interval rounded up to whole
/// microseconds; a key expires when its bucket is full again. Needs Redis 5 or newer (scripts replicate effects).
/// </summary>
/// <remarks>
/// <para>
/// The connection never blocks requests: it is opened in the background when Redis is down
/// (<c>abortConnect=false</c>) and reopened by the client library after a failure, and commands fail at once
/// while it is down instead of queueing. A hung server costs each request at most the configuration's
/// <c>asyncTimeout</c> (checked once a second).
/// </para>
/// <para>
/// Each store is one instance of the gateway (one per process): its <see cref="InstanceHeartbeat"/> registers it in
/// Redis in the background and learns <see cref="InstanceCount"/>; disposing the store removes it.
/// </para>
/// </remarks>
public sealed class RedisRateStore : IRedisRateStore, IAsyncDisposable
{
    /// <summary>The prefix of the bucket keys unless another is given.</summary>
    public const string DefaultKeyPrefix = "gateway:ratelimit:";

    private const long MicrosecondsPerSecond = 1_000_000;

    // KEYS[1]: the bucket. ARGV: emission interval (µs), capacity, want, need.
    // Returns granted, remaining, microseconds until full, microseconds until `need` could be granted (0 if granted).
    private const string ReserveScript = """
        local interval = tonumber(ARGV[1])
        local tolerance = interval * tonumber(ARGV[2])
        local want = tonumber(ARGV[3])
        local need = tonumber(ARGV[4])
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
        local tat = tonumber(redis.call('GET', KEYS[1])) or now
        local backlog = math.max(tat, now) - now
        local available = math.max(0, math.floor((tolerance - backlog) / interval))
        if available < need then
            return { 0, available, backlog, backlog + need * interval - tolerance }
        end
        local granted = math.min(want, available)
        local reset = backlog + granted * interval
        redis.call('SET', KEYS[1], string.format('%d', now + reset), 'PX', math.ceil(reset / 1000))
        return { granted, available - granted, reset, 0 }
        """;

    private readonly ConnectionMultiplexer _connection;
    private readonly string _keyPrefix;

    private RedisRateStore(ConnectionMultiplexer connection, string keyPrefix, TimeProvider clock)
    {
        _connection = connection;
        _keyPrefix = keyPrefix;
        Heartbeat = new InstanceHeartbeat(connection.GetDatabase(), keyPrefix, clock);
    }

    /// <inheritdoc/>
    public int InstanceCount => Heartbeat.InstanceCount;

    /// <summary>What registers this instance in Redis and counts the instances.</summary>
    internal InstanceHeartbeat Heartbeat { get; }

    /// <summary>
    /// Connects to Redis as <paramref name="configuration"/> says (StackExchange.Redis syntax, e.g.
    /// <c>redis:6379,password=…,asyncTimeout=250</c>); returns even while Redis is down. The heartbeat runs on
    /// <paramref name="clock"/> (the system clock by default).
    /// </summary>
    public static async Task<RedisRateStore> ConnectAsync(string configuration, string keyPrefix = DefaultKeyPrefix, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(keyPrefix);
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ReconnectRetryPolicy = new ExponentialRetry(deltaBackOffMilliseconds: 500, maxDeltaBackOffMilliseconds: 5000);
        return new RedisRateStore(await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false), keyPrefix, clock ?? TimeProvider.System);
    }

    /// <inheritdoc/>
    public async Task<RateReservation> ReserveAsync(string key, RateLimitRule rule, long want, long need, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(need);
        ArgumentOutOfRangeException.ThrowIfLessThan(want, need);
        var gcra = new Gcra(rule, MicrosecondsPerSecond);
        var result = await _connection.GetDatabase()
            .ScriptEvaluateAsync(ReserveScript, [_keyPrefix + key], [gcra.Interval, gcra.Capacity, want, need])
            .WaitAsync(cancellationToken)
            .ConfigureAwait(false);
        var reply = (long[])result!;
        return new(reply[0], reply[1], Microseconds(reply[2]), Microseconds(reply[3]));
    }

    /// <inheritdoc/>
    public Task PingAsync(CancellationToken cancellationToken) => _connection.GetDatabase().PingAsync().WaitAsync(cancellationToken);

    /// <summary>Removes this instance from the instances Redis counts (at most a second's wait), then closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await Heartbeat.DisposeAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    private static TimeSpan Microseconds(long value) => TimeSpan.FromTicks(value * (TimeSpan.TicksPerSecond / MicrosecondsPerSecond));
}
