using Gateway.Core.Http;

namespace Gateway.Core.Caching;

/// <summary>
/// RFC 9111's rules for a shared cache, decided from a response's head: whether it may be stored (never with
/// <c>no-store</c>, <c>private</c>, <c>Set-Cookie</c> or <c>Vary: *</c>; for an identified caller only when the response
/// allows sharing it or the cache keys by consumer), and for how long it is fresh: <c>s-maxage</c>, then <c>max-age</c>,
/// then <c>Expires</c>, and only for the statuses §4.2.2 allows, the cache's TTL or a tenth of the time since Last-Modified.
/// </summary>
internal static class StorageRules
{
    /// <summary>The statuses a cache may give a heuristic lifetime (RFC 9110 §15.1; 206 is left out: ranges are not stored).</summary>
    private static readonly int[] Heuristic = [200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 501];

    /// <summary>The plan for storing a <paramref name="status"/> response with <paramref name="fields"/>, or null when it may not be stored.</summary>
    /// <param name="settings">The cache.</param>
    /// <param name="status">The response's status.</param>
    /// <param name="fields">The response's fields.</param>
    /// <param name="vary">What the response varies on with the request's values (<see cref="VaryValues.Of"/>), or null for <c>Vary: *</c>.</param>
    /// <param name="identified">True when the request carried credentials or an identity.</param>
    /// <param name="requestTime">When the request went upstream.</param>
    /// <param name="responseTime">When the response arrived.</param>
    public static StoragePlan? Plan(CacheSettings settings, int status, IFieldList fields, VaryValues? vary, bool identified, double requestTime, double responseTime)
    {
        if ((!Heuristic.Contains(status) && status is not (302 or 307)) || Has(fields, "Set-Cookie"u8))
        {
            return null;
        }

        var directives = CacheControl.Of(fields);
        if (directives.NoStore || directives.Private
            || (identified && !settings.Definition.KeyByConsumer && !directives.Public && directives.SharedMaxAge < 0 && !directives.MustRevalidate))
        {
            return null;
        }

        if (vary is null)
        {
            return null;
        }

        var date = Value(fields, "Date"u8) is { IsEmpty: false } dateValue && HttpDate.Parse(dateValue) is { } parsed ? parsed : responseTime;
        var lifetime = directives.SharedMaxAge >= 0 ? directives.SharedMaxAge
            : directives.MaxAge >= 0 ? directives.MaxAge
            : Value(fields, "Expires"u8) is { IsEmpty: false } expires ? Math.Max(0, (HttpDate.Parse(expires) ?? date) - date)
            : !Heuristic.Contains(status) ? -1
            : settings.Ttl >= 0 ? settings.Ttl
            : Value(fields, "Last-Modified"u8) is { IsEmpty: false } modified && HttpDate.Parse(modified) is { } since ? Math.Max(0, (date - since) / 10)
            : -1;
        var validator = Has(fields, "ETag"u8) || Has(fields, "Last-Modified"u8);
        if (directives.NoCache)
        {
            lifetime = 0;
        }

        if (lifetime < 0 || (lifetime == 0 && !validator))
        {
            return null;
        }

        var ageValue = Value(fields, "Age"u8) is { IsEmpty: false } age && HttpSyntax.TryParseDecimal(age, out var seconds) ? seconds : 0;
        var initialAge = Math.Max(Math.Max(0, responseTime - date), ageValue + Math.Max(0, responseTime - requestTime));
        return new StoragePlan(
            lifetime,
            initialAge,
            directives.StaleWhileRevalidate >= 0 ? directives.StaleWhileRevalidate : Math.Max(0, settings.StaleWhileRevalidate),
            directives.StaleIfError >= 0 ? directives.StaleIfError : Math.Max(0, settings.StaleIfError),
            directives.MustRevalidate || directives.NoCache,
            vary);
    }

    /// <summary>The first value of field <paramref name="name"/>, or empty.</summary>
    public static ReadOnlySpan<byte> Value(IFieldList fields, ReadOnlySpan<byte> name)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (HttpSyntax.EqualsIgnoreCase(fields.NameOf(i), name))
            {
                return fields.ValueOf(i);
            }
        }

        return default;
    }

    /// <summary>True when <paramref name="fields"/> has a field <paramref name="name"/>.</summary>
    public static bool Has(IFieldList fields, ReadOnlySpan<byte> name)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (HttpSyntax.EqualsIgnoreCase(fields.NameOf(i), name))
            {
                return true;
            }
        }

        return false;
    }
}
