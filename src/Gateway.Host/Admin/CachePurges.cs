using Gateway.Core.Caching;
using Gateway.Core.Snapshots;

namespace Gateway.Host.Admin;

/// <summary>
/// Purges of the response caches: from the admin API (this instance's memory, the shared Redis tier, and through it every
/// other instance's memory), and those other instances publish (this instance's memory).
/// </summary>
internal sealed class CachePurges(Func<GatewaySnapshot> snapshot, RedisCacheTier? tier)
{
    /// <summary>Starts applying the purges other instances publish (nothing to listen to without Redis).</summary>
    public Task ListenAsync() => tier?.SubscribeAsync(purge => snapshot().PurgeCaches(purge)) ?? Task.CompletedTask;

    /// <summary>
    /// Purges what <paramref name="purge"/> names everywhere; returns how many variants went. A shared entry is usually held
    /// both here and in Redis, so it counts once: the larger of the two counts for the shared caches.
    /// </summary>
    public async Task<int> PurgeAsync(CachePurge purge)
    {
        var (local, shared) = snapshot().PurgeCaches(purge);
        return tier is null ? local + shared : local + Math.Max(shared, await tier.PurgeAsync(purge).ConfigureAwait(false));
    }
}
