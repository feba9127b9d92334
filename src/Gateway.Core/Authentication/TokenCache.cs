using System.Collections.Concurrent;
using System.Security.Claims;

namespace Gateway.Core.Authentication;

/// <summary>
/// Tokens already validated, by their text, until they expire (plus the clock skew), so a signature is checked once per
/// token rather than once per request. Bounded: past <see cref="Capacity"/> entries new tokens are validated without being
/// kept, until expired ones are swept. When the key set changes, tokens signed with a key that left it (or with a key
/// without an id) are dropped.
/// </summary>
public sealed class TokenCache
{
    /// <summary>The most tokens kept.</summary>
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Entry>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private int _count;
    private long _lastSweep = long.MinValue / 2;

    /// <summary>An empty cache.</summary>
    public TokenCache() => _lookup = _entries.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Tokens kept.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The entry of <paramref name="token"/> when it is kept and not expired at <paramref name="nowTicks"/> (UTC ticks).</summary>
    public Entry? Find(ReadOnlySpan<char> token, long nowTicks) =>
        _lookup.TryGetValue(token, out var entry) && entry.ExpiresTicks > nowTicks ? entry : null;

    /// <summary>
    /// Keeps <paramref name="entry"/> for <paramref name="token"/> unless the cache is full; a full cache sweeps its expired
    /// entries, at most once a second, so that past its capacity a token costs its validation and little more.
    /// </summary>
    public void Add(string token, Entry entry, long nowTicks)
    {
        if (Volatile.Read(ref _count) >= Capacity)
        {
            var now = Environment.TickCount64;
            var last = Interlocked.Read(ref _lastSweep);
            if (now - last < 1000 || Interlocked.CompareExchange(ref _lastSweep, now, last) != last)
            {
                return;
            }

            Sweep(kept => kept.ExpiresTicks <= nowTicks);
            if (Volatile.Read(ref _count) >= Capacity)
            {
                return;
            }
        }

        if (_entries.TryAdd(token, entry))
        {
            Interlocked.Increment(ref _count);
        }
    }

    /// <summary>After the key set changed: drops the tokens signed with a key whose id is not in <paramref name="kids"/>, and those whose key had no id.</summary>
    public void KeepOnly(IReadOnlySet<string> kids) => Sweep(entry => entry.Kid is null || !kids.Contains(entry.Kid));

    private void Sweep(Func<Entry, bool> drop)
    {
        foreach (var (token, entry) in _entries)
        {
            if (drop(entry) && _entries.TryRemove(token, out _))
            {
                Interlocked.Decrement(ref _count);
            }
        }
    }

    /// <summary>What a validated token gave: its consumer and claims, until when it holds, and the id of the key that signed it.</summary>
    /// <param name="Consumer">The consumer: the authentication entry's name and the token's <c>sub</c>.</param>
    /// <param name="Claims">The token's claims.</param>
    /// <param name="ExpiresTicks">When the token stops being accepted (its expiry plus the clock skew), in UTC ticks.</param>
    /// <param name="Kid">The signing key's id, or null.</param>
    public sealed record Entry(string Consumer, ClaimsIdentity Claims, long ExpiresTicks, string? Kid);
}
