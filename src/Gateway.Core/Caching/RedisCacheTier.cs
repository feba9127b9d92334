using Gateway.Core.Observability;
using Gateway.Core.RateLimiting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Gateway.Core.Caching;

/// <summary>
/// The shared caches' tier on the gateway's Redis: each key's variants in one hash (a field per set of Vary values) that
/// expires when the last of them may no longer be served, and purges told to every instance over pub/sub so each drops
/// the entries from its memory too. While Redis cannot be reached every read misses and every write is dropped, counted
/// and logged once per outage: the caches go on in memory alone.
/// </summary>
public sealed class RedisCacheTier : ISharedCacheTier
{
    private const string Prefix = "gateway:cache:";
    private const string PurgeChannel = "gateway:cache:purge";

    /// <summary>Stores one variant in the key's hash and makes the hash live at least as long as this variant may be served.</summary>
    private const string PutScript = """
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
        if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[3]) then
            redis.call('PEXPIRE', KEYS[1], ARGV[3])
        end
        return 0
        """;
    private readonly Task<ConnectionMultiplexer> _connection;
    private readonly GatewayMetrics? _metrics;
    private readonly ILogger? _logger;
    private readonly string _instance = Guid.NewGuid().ToString("N");
    private Action<CachePurge>? _purged;
    private int _failing;

    /// <summary>A tier on the connection of <paramref name="redis"/>; failures are counted in <paramref name="metrics"/> and outages reported to <paramref name="logger"/>.</summary>
    public RedisCacheTier(RedisRateStore redis, GatewayMetrics? metrics, ILogger? logger)
    {
        _connection = redis.Connection;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>
    /// Listens for purges other instances publish and hands each to <paramref name="purge"/> (which drops the entries from
    /// this instance's memory); completes once subscribed, or at once while Redis cannot be reached (then no purge arrives).
    /// </summary>
    public async Task SubscribeAsync(Action<CachePurge> purge)
    {
        _purged = purge;
        if (!_connection.IsCompletedSuccessfully)
        {
            _ = _connection.ContinueWith(_ => SubscribeAsync(purge), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            return;
        }

        try
        {
            await _connection.Result.GetSubscriber().SubscribeAsync(RedisChannel.Literal(PurgeChannel), (_, message) => OnPurgeMessage(message)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Unreachable now: StackExchange.Redis subscribes again when the connection comes back.
        }
    }

    /// <summary>Drops the entries <paramref name="purge"/> names from Redis and tells the other instances; returns how many variants went from Redis.</summary>
    public async Task<int> PurgeAsync(CachePurge purge)
    {
        if (!_connection.IsCompletedSuccessfully)
        {
            return 0;
        }

        var redis = _connection.Result;
        var database = redis.GetDatabase();
        var purged = 0;
        try
        {
            foreach (var server in redis.GetServers().Where(server => server.IsConnected && !server.IsReplica))
            {
                await foreach (var key in server.KeysAsync(pattern: Prefix + "*").ConfigureAwait(false))
                {
                    var name = (string)key!;
                    var cacheKey = name[(name.IndexOf('\n', Prefix.Length) + 1)..];
                    if (purge.Matches(cacheKey))
                    {
                        purged += (int)await database.HashLengthAsync(key).ConfigureAwait(false);
                        await database.KeyDeleteAsync(key).ConfigureAwait(false);
                    }
                }
            }

            await redis.GetSubscriber().PublishAsync(RedisChannel.Literal(PurgeChannel), $"{_instance}\n{(purge.IsPrefix ? "prefix" : "key")}\n{purge.Value}").ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Report(null, ex);
        }

        return purged;
    }

    /// <inheritdoc/>
    async ValueTask<IReadOnlyList<CachedResponse>?> ISharedCacheTier.GetAsync(string cache, string key)
    {
        if (!_connection.IsCompletedSuccessfully || !_connection.Result.IsConnected)
        {
            Report(cache, null);
            return null;
        }

        try
        {
            var variants = await _connection.Result.GetDatabase().HashValuesAsync(RedisKeyOf(cache, key)).ConfigureAwait(false);
            Recovered();
            var entries = variants.Select(value => CachedResponseFormat.Read((byte[])value!)).OfType<CachedResponse>().ToList();
            return entries.Count == 0 ? null : entries;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Report(cache, ex);
            return null;
        }
    }

    /// <inheritdoc/>
    void ISharedCacheTier.Put(string cache, string key, CachedResponse entry)
    {
        if (!_connection.IsCompletedSuccessfully || !_connection.Result.IsConnected)
        {
            Report(cache, null);
            return;
        }

        var servable = entry.Lifetime + Math.Max(entry.StaleWhileRevalidate, entry.StaleIfError) - entry.InitialAge;
        if (servable <= 0)
        {
            return;
        }

        var variant = string.Join("\n", entry.Vary.Names.Select((name, i) => $"{name}={entry.Vary.ValueAt(i)}"));
        _ = _connection.Result.GetDatabase().ScriptEvaluateAsync(
            PutScript, [RedisKeyOf(cache, key)], [variant, CachedResponseFormat.Write(entry), (long)Math.Ceiling(servable * 1000)], CommandFlags.FireAndForget);
    }

    private static RedisKey RedisKeyOf(string cache, string key) => Prefix + cache + "\n" + key;

    private void OnPurgeMessage(RedisValue message)
    {
        var parts = ((string?)message ?? "").Split('\n', 3);
        if (parts.Length == 3 && parts[0] != _instance)
        {
            _purged?.Invoke(new CachePurge(parts[2], parts[1] == "prefix"));
        }
    }

    /// <summary>Counts a failed read or write of <paramref name="cache"/> and logs the first of an outage.</summary>
    private void Report(string? cache, Exception? failure)
    {
        if (cache is not null)
        {
            _metrics?.CacheCounters(cache).RedisErrors.Inc();
        }

        if (Interlocked.Exchange(ref _failing, 1) == 0 && _logger is not null)
        {
            CachingLog.TierUnavailable(_logger, failure?.Message ?? "not connected");
        }
    }

    private void Recovered()
    {
        if (Interlocked.Exchange(ref _failing, 0) == 1 && _logger is not null)
        {
            CachingLog.TierAvailable(_logger);
        }
    }
}
