namespace Gateway.Core.Caching;

/// <summary>
/// Which entries a purge drops: by <c>key</c>, every variant of one path (with any query, or with exactly the query the
/// key gives), or by <c>prefix</c>, every path that starts with it.
/// </summary>
/// <param name="Value">The path, or the prefix.</param>
/// <param name="IsPrefix">True to purge by prefix.</param>
public sealed record CachePurge(string Value, bool IsPrefix)
{
    /// <summary>True when the entry stored under <paramref name="key"/> goes.</summary>
    internal bool Matches(string key)
    {
        var target = CacheKey.PathOf(key);
        if (IsPrefix)
        {
            return target.StartsWith(Value, StringComparison.Ordinal);
        }

        var query = target.IndexOf('?');
        return target.SequenceEqual(Value) || (!Value.Contains('?') && query >= 0 && target[..query].SequenceEqual(Value));
    }
}
