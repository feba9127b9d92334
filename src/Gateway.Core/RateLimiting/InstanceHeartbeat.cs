using System.Text;
using StackExchange.Redis;

namespace Gateway.Core.RateLimiting;

/// <summary>
/// Learns how many gateway instances share one Redis: every <see cref="Interval"/> this process registers its random id
/// in a sorted set, scored by the Redis server's clock (TIME), drops the ids not seen for <see cref="TimeToLive"/> and
/// counts the rest, in one Lua script.
/// </summary>
/// <remarks>
/// Beats run on a timer of the clock, never on the request path, one at a time. A failed beat keeps the count, so while
/// Redis is unreachable <see cref="InstanceCount"/> is what Redis last said (1 until it first answers). An instance that
/// stops without leaving (a crash) is counted until its time to live passes, and a new one is seen by the others at their
/// next beat. The set's key is the key prefix, the byte 0xFF and <c>instances</c>: UTF-8 never contains 0xFF, so no
/// bucket key (the prefix and a key in UTF-8) can be the set, whatever a client sends.
/// </remarks>
internal sealed class InstanceHeartbeat : IAsyncDisposable
{
    /// <summary>How often an instance registers itself.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    /// <summary>How long an instance is counted after its last beat: three intervals, so a lost beat or two do not drop it.</summary>
    public static readonly TimeSpan TimeToLive = 3 * Interval;

    /// <summary>How long leaving may hold up disposal when Redis is slow.</summary>
    private static readonly TimeSpan LeaveTimeout = TimeSpan.FromSeconds(1);

    // KEYS[1]: the set of instances, each scored by its last beat in milliseconds of the server's clock.
    // ARGV: this instance's id, the time to live in milliseconds. Returns how many instances are alive, this one included.
    private const string BeatScript = """
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
        local ttl = tonumber(ARGV[2])
        redis.call('ZADD', KEYS[1], now, ARGV[1])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - ttl)
        redis.call('PEXPIRE', KEYS[1], ttl)
        return redis.call('ZCARD', KEYS[1])
        """;

    private readonly Func<IDatabase> _redis;
    private readonly RedisKey _key;
    private readonly string _id = Guid.NewGuid().ToString("N");
    private readonly ITimer _timer;
    private readonly Lock _starting = new();
    private Task _beating = Task.CompletedTask;
    private int _instanceCount = 1;
    private volatile bool _answered;

    /// <summary>
    /// Beats on the database <paramref name="redis"/> gives (it throws while Redis is not connected yet) under
    /// <paramref name="keyPrefix"/> at once and then every <see cref="Interval"/> of <paramref name="clock"/>.
    /// </summary>
    public InstanceHeartbeat(Func<IDatabase> redis, string keyPrefix, TimeProvider clock)
    {
        _redis = redis;
        _key = (byte[])[.. Encoding.UTF8.GetBytes(keyPrefix), 0xFF, .. "instances"u8];
        _timer = clock.CreateTimer(static state => ((InstanceHeartbeat)state!).Beat(), this, TimeSpan.Zero, Interval);
    }

    /// <summary>The instances alive at the last beat that Redis answered, this one included; 1 before the first.</summary>
    public int InstanceCount => Volatile.Read(ref _instanceCount);

    /// <summary>True once Redis has answered a beat: <see cref="InstanceCount"/> is then what Redis said, not the starting guess.</summary>
    public bool Answered => _answered;

    /// <summary>Registers this instance now and learns how many are alive; throws when Redis does not answer.</summary>
    public async Task BeatAsync()
    {
        var alive = await _redis().ScriptEvaluateAsync(BeatScript, [_key], [_id, (long)TimeToLive.TotalMilliseconds]).ConfigureAwait(false);
        Volatile.Write(ref _instanceCount, (int)alive);
        _answered = true;
    }

    /// <summary>Stops beating and removes this instance from the set, waiting at most <see cref="LeaveTimeout"/> for Redis.</summary>
    public async ValueTask DisposeAsync()
    {
        await _timer.DisposeAsync().ConfigureAwait(false);
        try
        {
            await LeaveAsync().WaitAsync(LeaveTimeout).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Redis unreachable or slow: the others stop counting this instance once its time to live has passed.
        }
    }

    /// <summary>Starts a beat unless the last one is still under way (the timer's, or one asked for when Redis connects).</summary>
    public void Beat()
    {
        // The timer and the connection's first beat may ask at the same moment: only one of them starts.
        lock (_starting)
        {
            if (_beating.IsCompleted)
            {
                _beating = BeatOrKeepCountAsync();
            }
        }
    }

    private async Task BeatOrKeepCountAsync()
    {
        try
        {
            await BeatAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Unreachable: the count stays what Redis last said, and the next tick beats again.
        }
    }

    /// <summary>Lets the beat under way finish (it would register this instance again), then removes this instance.</summary>
    private async Task LeaveAsync()
    {
        await _beating.ConfigureAwait(false);
        await _redis().SortedSetRemoveAsync(_key, _id).ConfigureAwait(false);
    }
}
