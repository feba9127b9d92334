using Gateway.Core.Caching;
using Gateway.Core.Pipeline;

namespace Gateway.Core.Tests.Caching;

/// <summary>The memory store stays within its byte bound, and its S3-FIFO eviction keeps the entries read again over a scan of entries read once.</summary>
public sealed class MemoryCacheStoreTests
{
    [Fact]
    public void TheStoreNeverHoldsMoreThanItsBound()
    {
        var evicted = 0;
        var store = new MemoryCacheStore(100_000) { Evicted = count => evicted += count };

        for (var i = 0; i < 1000; i++)
        {
            store.Put($"key{i}", Entry(1000));
            Assert.True(store.Bytes <= 100_000, $"{store.Bytes} bytes after {i + 1} entries");
        }

        Assert.Equal(100, store.Count);
        Assert.Equal(1000 - store.Count, evicted);
    }

    [Fact]
    public void EntriesReadAgainOutliveAScanOfEntriesReadOnce()
    {
        var store = new MemoryCacheStore(100_000);
        for (var i = 0; i < 20; i++)
        {
            store.Put($"hot{i}", Entry(1000));
        }

        for (var scan = 0; scan < 2000; scan++)
        {
            for (var i = 0; i < 20; i++)
            {
                store.Get($"hot{i}");
            }

            store.Put($"cold{scan}", Entry(1000));
        }

        Assert.All(Enumerable.Range(0, 20), i => Assert.NotNull(store.Get($"hot{i}")));
    }

    [Fact]
    public void AnEntryLargerThanTheWholeStoreIsNotKept()
    {
        var store = new MemoryCacheStore(10_000);

        store.Put("big", Entry(20_000));

        Assert.Null(store.Get("big"));
        Assert.Equal(0, store.Bytes);
    }

    [Fact]
    public void APurgeDropsTheMatchingKeysAndTheirBytes()
    {
        var store = new MemoryCacheStore(100_000);
        store.Put("a/1", Entry(1000));
        store.Put("a/2", Entry(1000));
        store.Put("b/1", Entry(1000));

        var purged = store.Purge(key => key.StartsWith("a/", StringComparison.Ordinal));

        Assert.Equal(2, purged);
        Assert.Null(store.Get("a/1"));
        Assert.NotNull(store.Get("b/1"));
        Assert.Equal(store.Get("b/1")!.Size, store.Bytes);
    }

    private static CachedResponse Entry(int bodyBytes) => new()
    {
        Response = new GatewayResponse { Status = 200, Body = new byte[bodyBytes - 256] },
        NotModified = new GatewayResponse { Status = 304 },
        ETag = null,
        LastModified = null,
        Vary = VaryValues.Nothing,
        ReceivedAt = 0,
        InitialAge = 0,
        Lifetime = 60,
        StaleWhileRevalidate = 0,
        StaleIfError = 0,
        MustRevalidate = false,
    };
}
