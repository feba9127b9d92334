namespace Gateway.Core.Caching;

/// <summary>The stored variants of one key (one per set of Vary values), with what the memory store's eviction keeps about it.</summary>
internal sealed class CacheSlot(string key)
{
    /// <summary>The key.</summary>
    public string Key { get; } = key;

    /// <summary>The variants, replaced whole (never changed in place) so readers need no lock.</summary>
    public volatile CachedResponse[] Variants = [];

    /// <summary>The bytes of all its variants.</summary>
    public long Size;

    /// <summary>How often it was read since eviction last looked at it, up to 3.</summary>
    public int Frequency;

    /// <summary>Its place in the store's small or main queue, or null once evicted.</summary>
    public LinkedListNode<CacheSlot>? Node;

    /// <summary>True when it sits in the main queue.</summary>
    public bool InMain;

    /// <summary>Counts a read for eviction, without a lock.</summary>
    public void Touch()
    {
        var frequency = Volatile.Read(ref Frequency);
        if (frequency < 3)
        {
            Interlocked.CompareExchange(ref Frequency, frequency + 1, frequency);
        }
    }

    /// <summary>The variant that <paramref name="matches"/>, or null.</summary>
    public CachedResponse? Find(Func<CachedResponse, bool> matches)
    {
        foreach (var variant in Variants)
        {
            if (matches(variant))
            {
                return variant;
            }
        }

        return null;
    }
}
