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
/// Neither start-up nor requests wait on the connection: it is opened in the background (<c>abortConnect=false</c>),
/// commands fail at once until the first connection is made and while it is down instead of queueing, and the client
/// library reopens it after a failure. A hung server costs each request at most the configuration's
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

    private readonly Task<ConnectionMultiplexer> _connecting;
    private readonly string _keyPrefix;

    private RedisRateStore(ConfigurationOptions options, string keyPrefix, TimeProvider clock)
    {
        _connecting = ConnectionMultiplexer.ConnectAsync(options);
        _keyPrefix = keyPrefix;
        Endpoints = string.Join(", ", options.EndPoints);
        Heartbeat = new InstanceHeartbeat(() => Database, keyPrefix, clock);
        FirstConnect = _connecting.ContinueWith(connecting => connecting.IsCompletedSuccessfully && connecting.Result.IsConnected, TaskScheduler.Default);

        // Connected, this instance counts itself at once rather than at the next tick.
        _ = FirstConnect.ContinueWith(connected => Heartbeat.Beat(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
    }

    /// <summary>The Redis endpoints of the configuration (never its password), for log lines.</summary>
    public string Endpoints { get; }

    /// <summary>Completes when the first attempt to connect ends: true when Redis answered it; false when it did not, and connecting goes on in the background.</summary>
    public Task<bool> FirstConnect { get; }

    /// <inheritdoc/>
    public int InstanceCount => Heartbeat.InstanceCount;

    /// <summary>True once Redis has answered this instance's heartbeat.</summary>
    public bool Reached => Heartbeat.Answered;

    /// <summary>The connection, once the first attempt to make it succeeded (other users of the same Redis share it).</summary>
    internal Task<ConnectionMultiplexer> Connection => _connecting;

    /// <summary>What registers this instance in Redis and counts the instances.</summary>
    internal InstanceHeartbeat Heartbeat { get; }

    /// <summary>The database while connected once; until then, throws as a command to an unreachable Redis fails.</summary>
    private IDatabase Database => _connecting.IsCompletedSuccessfully
        ? _connecting.Result.GetDatabase()
        : throw new InvalidOperationException($"Redis {Endpoints} is not connected yet");

    /// <summary>
    /// Starts connecting to Redis as <paramref name="configuration"/> says (StackExchange.Redis syntax, e.g.
    /// <c>redis:6379,password=…,asyncTimeout=250</c>) and returns at once; <see cref="FirstConnect"/> tells how the first
    /// attempt ended. The heartbeat runs on <paramref name="clock"/> (the system clock by default).
    /// </summary>
    public static RedisRateStore Connect(string configuration, string keyPrefix = DefaultKeyPrefix, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(keyPrefix);
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ReconnectRetryPolicy = new ExponentialRetry(deltaBackOffMilliseconds: 500, maxDeltaBackOffMilliseconds: 5000);
        return new RedisRateStore(options, keyPrefix, clock ?? TimeProvider.System);
    }

    /// <summary>Like <see cref="Connect"/>, and completes once the first attempt to connect has ended.</summary>
    public static async Task<RedisRateStore> ConnectAsync(string configuration, string keyPrefix = DefaultKeyPrefix, TimeProvider? clock = null)
    {
        var store = Connect(configuration, keyPrefix, clock);
        await store.FirstConnect.ConfigureAwait(false);
        return store;
    }

    /// <inheritdoc/>
    public async Task<RateReservation> ReserveAsync(string key, RateLimitRule rule, long want, long need, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(need);
        ArgumentOutOfRangeException.ThrowIfLessThan(want, need);
        var gcra = new Gcra(rule, MicrosecondsPerSecond);
        var result = await Database
            .ScriptEvaluateAsync(ReserveScript, [_keyPrefix + key], [gcra.Interval, gcra.Capacity, want, need])
            .WaitAsync(cancellationToken)
            .ConfigureAwait(false);
        var reply = (long[])result!;
        return new(reply[0], reply[1], Microseconds(reply[2]), Microseconds(reply[3]));
    }

    /// <inheritdoc/>
    public async Task PingAsync(CancellationToken cancellationToken) => await Database.PingAsync().WaitAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Removes this instance from the instances Redis counts (at most a second's wait), then closes the connection; one still
    /// being made is closed when it is, without waiting for it.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await Heartbeat.DisposeAsync().ConfigureAwait(false);
        if (_connecting.IsCompletedSuccessfully)
        {
            await _connecting.Result.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            _ = _connecting.ContinueWith(static connecting => connecting.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        }
    }

    private static TimeSpan Microseconds(long value) => TimeSpan.FromTicks(value * (TimeSpan.TicksPerSecond / MicrosecondsPerSecond));
}
