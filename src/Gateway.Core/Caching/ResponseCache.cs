using Gateway.Core.Http;
using Gateway.Core.Observability;

namespace Gateway.Core.Caching;

/// <summary>
/// One named cache as it runs: its settings, its memory store, the fetches under way (coalescing), its clock and metrics,
/// and, for a shared cache, the Redis tier behind the memory store. Every route that names the cache uses this one
/// instance; a reload that leaves the cache's definition unchanged keeps it, entries and all.
/// </summary>
internal sealed class ResponseCache
{
    private readonly TimeProvider _clock;

    /// <summary>A cache for <paramref name="settings"/>, on <paramref name="clock"/>, counted in <paramref name="counters"/> when given, sharing entries through <paramref name="tier"/> when given.</summary>
    public ResponseCache(CacheSettings settings, TimeProvider clock, CacheCounters? counters, ISharedCacheTier? tier)
    {
        Settings = settings;
        _clock = clock;
        Counters = counters;
        Tier = tier;
        Memory = new MemoryCacheStore(settings.MaxBytes) { Evicted = count => counters?.Evictions.Inc(count) };
    }

    /// <summary>The cache's settings.</summary>
    public CacheSettings Settings { get; }

    /// <summary>The entries in memory.</summary>
    public MemoryCacheStore Memory { get; }

    /// <summary>The fetches under way.</summary>
    public CacheFlights Flights { get; } = new();

    /// <summary>The metrics, or null when they are off.</summary>
    public CacheCounters? Counters { get; }

    /// <summary>The Redis tier of a shared cache, or null.</summary>
    public ISharedCacheTier? Tier { get; }

    /// <summary>The cache clock, in seconds since the Unix epoch.</summary>
    public double Now => _clock.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;

    /// <summary>The stored variant of <paramref name="key"/> that <paramref name="request"/> may use, from memory, or null.</summary>
    public CachedResponse? Find(string key, RequestHead request)
    {
        var slot = Memory.Get(key);
        if (slot is null)
        {
            return null;
        }

        foreach (var variant in slot.Variants)
        {
            if (variant.Vary.Matches(request))
            {
                return variant;
            }
        }

        return null;
    }

    /// <summary>Like <see cref="Find"/>, then from the shared tier (the entry found there is kept in memory too).</summary>
    public async ValueTask<CachedResponse?> FindSharedAsync(string key, RequestHead request)
    {
        if (Tier is null)
        {
            return null;
        }

        var found = await Tier.GetAsync(Settings.Name, key).ConfigureAwait(false);
        if (found is null)
        {
            return null;
        }

        CachedResponse? usable = null;
        foreach (var entry in found)
        {
            Memory.Put(key, entry);
            usable ??= entry.Vary.Matches(request) ? entry : null;
        }

        Gauge();
        return usable;
    }

    /// <summary>Stores <paramref name="entry"/> under <paramref name="key"/> in memory and, for a shared cache, in Redis.</summary>
    public void Store(string key, CachedResponse entry)
    {
        Memory.Put(key, entry);
        Gauge();
        Tier?.Put(Settings.Name, key, entry);
    }

    /// <summary>Drops every entry whose key <paramref name="matches"/> from memory; returns how many variants went.</summary>
    public int PurgeMemory(Func<string, bool> matches)
    {
        var purged = Memory.Purge(matches);
        Gauge();
        return purged;
    }

    private void Gauge()
    {
        Counters?.Bytes.Set(Memory.Bytes);
        Counters?.Entries.Set(Memory.Count);
    }
}
