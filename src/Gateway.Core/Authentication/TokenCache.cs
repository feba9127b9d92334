using System.Collections.Concurrent;
using System.Security.Claims;

namespace Gateway.Core.Authentication;

/// <summary>
/// Tokens already validated, by their text, until they expire (plus the clock skew), so a signature is checked once per
/// token rather than once per request. Bounded: past <see cref="Capacity"/> entries new tokens are validated without being
/// kept, until expired ones are swept. A token signed with a key that left the key set is dropped.
/// </summary>
public sealed class TokenCache
{
    /// <summary>The most tokens kept.</summary>
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Entry>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    /// <summary>An empty cache.</summary>
    public TokenCache() => _lookup = _entries.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Tokens kept.</summary>
    public int Count => _entries.Count;

    /// <summary>The entry of <paramref name="token"/> when it is kept and not expired at <paramref name="nowTicks"/> (UTC ticks).</summary>
    public Entry? Find(ReadOnlySpan<char> token, long nowTicks) =>
        _lookup.TryGetValue(token, out var entry) && entry.ExpiresTicks > nowTicks ? entry : null;

    /// <summary>Keeps <paramref name="entry"/> for <paramref name="token"/> unless the cache is full (expired entries are swept first).</summary>
    public void Add(string token, Entry entry, long nowTicks)
    {
        if (_entries.Count >= Capacity)
        {
            Sweep(entry => entry.ExpiresTicks <= nowTicks);
            if (_entries.Count >= Capacity)
            {
                return;
            }
        }

        _entries[token] = entry;
    }

    /// <summary>Drops the tokens signed with a key whose id is not in <paramref name="kids"/>.</summary>
    public void KeepOnly(IReadOnlySet<string> kids) => Sweep(entry => entry.Kid is not null && !kids.Contains(entry.Kid));

    private void Sweep(Func<Entry, bool> drop)
    {
        foreach (var (token, entry) in _entries)
        {
            if (drop(entry))
            {
                _entries.TryRemove(token, out _);
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
