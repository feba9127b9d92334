namespace Gateway.Core.Caching;

/// <summary>Where shared caches keep entries for every gateway instance (Redis): reads that may miss, writes that may be lost, never an error.</summary>
internal interface ISharedCacheTier
{
    /// <summary>The variants stored under <paramref name="key"/> of cache <paramref name="cache"/>, or null when there are none or the tier cannot be reached.</summary>
    ValueTask<IReadOnlyList<CachedResponse>?> GetAsync(string cache, string key);

    /// <summary>Stores <paramref name="entry"/> under <paramref name="key"/> of cache <paramref name="cache"/> in the background.</summary>
    void Put(string cache, string key, CachedResponse entry);
}
