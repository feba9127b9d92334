namespace Gateway.Core.Configuration;

/// <summary>The rules of the <c>caches</c> and of a route's reference to one.</summary>
internal static class CacheConfigValidator
{
    /// <summary>Every broken rule of the cache at <paramref name="at"/>.</summary>
    public static IEnumerable<(string Path, string Reason)> CacheErrors(CacheConfig? cache, string at)
    {
        if (cache is null)
        {
            yield return (at, "expected a cache object, got null");
            yield break;
        }

        foreach (var error in ConfigValidator.DurationErrors(cache.Ttl, at + ".ttl")
            .Concat(ConfigValidator.DurationErrors(cache.StaleWhileRevalidate, at + ".staleWhileRevalidate", zeroAllowed: true))
            .Concat(ConfigValidator.DurationErrors(cache.StaleIfError, at + ".staleIfError", zeroAllowed: true))
            .Concat(ConfigValidator.DurationErrors(cache.CoalesceWait, at + ".coalesceWait", zeroAllowed: true)))
        {
            yield return error;
        }

        var sizes = true;
        foreach (var (value, name) in new[] { (cache.MaxBytes, "maxBytes"), (cache.MaxEntryBytes, "maxEntryBytes") })
        {
            if (!ByteSize.TryParse(value, out _, out var reason))
            {
                sizes = false;
                yield return ($"{at}.{name}", $"{reason}, got \"{value}\"");
            }
        }

        if (sizes && ByteSize.TryParse(cache.MaxEntryBytes, out var entry, out _) && ByteSize.TryParse(cache.MaxBytes, out var total, out _))
        {
            if (entry > total)
            {
                yield return (at + ".maxEntryBytes", $"\"{cache.MaxEntryBytes}\" is larger than maxBytes \"{cache.MaxBytes}\"");
            }
            else if (entry > int.MaxValue / 2)
            {
                yield return (at + ".maxEntryBytes", "an entry can be at most 1GB");
            }
        }

        for (var i = 0; i < cache.KeyHeaders.Count; i++)
        {
            var name = cache.KeyHeaders[i];
            if (string.IsNullOrEmpty(name) || name.AsSpan().ContainsAnyExcept(ConfigValidator.TokenChars))
            {
                yield return ($"{at}.keyHeaders[{i}]", $"expected a header field name, got \"{name}\"");
            }
        }

        if (cache.QueryParameters is { Count: 0 })
        {
            yield return (at + ".queryParameters", "name at least one query parameter, or leave \"queryParameters\" out to key on the whole query");
        }

        if (cache.QueryParameters is not null && cache.SortQuery)
        {
            yield return (at + ".sortQuery", "\"queryParameters\" already keys on the listed parameters in their order: leave \"sortQuery\" out");
        }
    }

    /// <summary>What is wrong with a route's <c>policies.cache</c> at <paramref name="at"/>.</summary>
    public static IEnumerable<(string Path, string Reason)> ReferenceErrors(RouteConfig? route, string at, Dictionary<string, CacheConfig> caches)
    {
        if (route?.Policies?.Cache is not { } name)
        {
            yield break;
        }

        if (!caches.ContainsKey(name))
        {
            var known = caches.Count == 0 ? "no caches are defined" : $"defined caches: {ConfigJson.Quoted(caches.Keys)}";
            yield return (at, $"unknown cache \"{name}\"; {known}");
        }
        else if (route.Cluster is null)
        {
            yield return (at, "only a route that forwards to a \"cluster\" can cache its responses");
        }
    }
}
