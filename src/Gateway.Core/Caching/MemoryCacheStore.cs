using System.Collections.Concurrent;

namespace Gateway.Core.Caching;

/// <summary>
/// The entries of one cache in memory, bounded in bytes, evicted by S3-FIFO (Yang et al., SOSP 2023): a new key enters a
/// small FIFO queue holding about a tenth of the bytes; leaving it, a key read again moves to the main queue, one never read
/// again is dropped and remembered in a ghost queue, so that it goes straight to the main queue if it comes back. Leaving the
/// main queue, a key read since its last pass goes round once more. One-hit wonders thus never push out the hot entries.
/// Reads take no lock (a concurrent dictionary and a saturating counter); writes take one.
/// </summary>
internal sealed class MemoryCacheStore(long maxBytes)
{
    private readonly ConcurrentDictionary<string, CacheSlot> _slots = new(StringComparer.Ordinal);
    private readonly LinkedList<CacheSlot> _small = new();
    private readonly LinkedList<CacheSlot> _main = new();
    private readonly LinkedList<string> _ghostOrder = new();
    private readonly HashSet<string> _ghosts = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _smallBytes;
    private long _bytes;

    /// <summary>Called with the number of slots each eviction pass dropped.</summary>
    public Action<int>? Evicted { get; init; }

    /// <summary>The bytes held.</summary>
    public long Bytes => Volatile.Read(ref _bytes);

    /// <summary>The keys held.</summary>
    public int Count => _slots.Count;

    /// <summary>The slot of <paramref name="key"/>, counted as read, or null.</summary>
    public CacheSlot? Get(string key)
    {
        if (!_slots.TryGetValue(key, out var slot))
        {
            return null;
        }

        slot.Touch();
        return slot;
    }

    /// <summary>Stores <paramref name="entry"/> under <paramref name="key"/>, replacing the variant with the same Vary values; evicts as the byte bound needs.</summary>
    public void Put(string key, CachedResponse entry)
    {
        if (entry.Size > maxBytes)
        {
            return;
        }

        var evicted = 0;
        lock (_gate)
        {
            if (!_slots.TryGetValue(key, out var slot))
            {
                slot = new CacheSlot(key);
                var ghost = _ghosts.Remove(key);
                if (ghost)
                {
                    _ghostOrder.Remove(key);
                }

                slot.InMain = ghost;
                slot.Node = (ghost ? _main : _small).AddLast(slot);
                _slots[key] = slot;
            }

            var variants = slot.Variants.Where(variant => !variant.Vary.SameAs(entry.Vary)).Append(entry).ToArray();
            Resize(slot, variants.Sum(variant => variant.Size));
            slot.Variants = variants;
            while (_bytes > maxBytes && !_slots.IsEmpty)
            {
                evicted += EvictOne() ? 1 : 0;
            }
        }

        if (evicted > 0)
        {
            Evicted?.Invoke(evicted);
        }
    }

    /// <summary>Drops the variant <paramref name="entry"/> of <paramref name="key"/> if it is still stored (an entry found unusable).</summary>
    public void Remove(string key, CachedResponse entry)
    {
        lock (_gate)
        {
            if (_slots.TryGetValue(key, out var slot) && slot.Variants.Contains(entry))
            {
                var variants = slot.Variants.Where(variant => variant != entry).ToArray();
                if (variants.Length == 0)
                {
                    Drop(slot);
                    return;
                }

                Resize(slot, variants.Sum(variant => variant.Size));
                slot.Variants = variants;
            }
        }
    }

    /// <summary>Drops every key that <paramref name="matches"/>; returns how many variants went.</summary>
    public int Purge(Func<string, bool> matches)
    {
        var purged = 0;
        lock (_gate)
        {
            foreach (var slot in _slots.Values.Where(slot => matches(slot.Key)).ToList())
            {
                purged += slot.Variants.Length;
                Drop(slot);
            }
        }

        return purged;
    }

    /// <summary>Evicts one slot (or moves one along its queue); true when a slot left the store.</summary>
    private bool EvictOne()
    {
        if (_small.Count > 0 && (_smallBytes >= maxBytes / 10 || _main.Count == 0))
        {
            var slot = _small.First!.Value;
            if (Volatile.Read(ref slot.Frequency) <= 1)
            {
                Drop(slot);
                Remember(slot.Key);
                return true;
            }

            _small.RemoveFirst();
            _smallBytes -= slot.Size;
            slot.Frequency = 0;
            slot.InMain = true;
            slot.Node = _main.AddLast(slot);
            return false;
        }

        var old = _main.First!.Value;
        if (Volatile.Read(ref old.Frequency) <= 0)
        {
            Drop(old);
            return true;
        }

        Interlocked.Decrement(ref old.Frequency);
        _main.RemoveFirst();
        old.Node = _main.AddLast(old);
        return false;
    }

    /// <summary>Takes <paramref name="slot"/> out of the dictionary, its queue and the byte count.</summary>
    private void Drop(CacheSlot slot)
    {
        if (slot.Node is { } node)
        {
            node.List!.Remove(node);
            slot.Node = null;
        }

        Resize(slot, 0);
        _slots.TryRemove(new KeyValuePair<string, CacheSlot>(slot.Key, slot));
        slot.Variants = [];
    }

    private void Resize(CacheSlot slot, long size)
    {
        var change = size - slot.Size;
        slot.Size = size;
        Interlocked.Add(ref _bytes, change);
        if (!slot.InMain)
        {
            _smallBytes += change;
        }
    }

    /// <summary>Keeps <paramref name="key"/> in the ghost queue, which holds about as many keys as the main queue.</summary>
    private void Remember(string key)
    {
        if (_ghosts.Add(key))
        {
            _ghostOrder.AddLast(key);
        }

        while (_ghostOrder.Count > Math.Max(_main.Count, 64))
        {
            _ghosts.Remove(_ghostOrder.First!.Value);
            _ghostOrder.RemoveFirst();
        }
    }
}
