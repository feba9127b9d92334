using Gateway.Core.Pipeline;

namespace Gateway.Core.Caching;

/// <summary>
/// One stored response, immutable once stored: the response as clients get it (shared by every hit, never copied), the
/// 304 that answers their conditional requests, its validators, what its Vary names, and when it stops being fresh and
/// may no longer be served stale. Times are the cache clock's, in seconds since the Unix epoch.
/// </summary>
internal sealed class CachedResponse
{
    /// <summary>The response served on hits.</summary>
    public required GatewayResponse Response { get; init; }

    /// <summary>The 304 answer to a client's matching conditional request.</summary>
    public required GatewayResponse NotModified { get; init; }

    /// <summary>The strong or weak entity tag, or null.</summary>
    public required string? ETag { get; init; }

    /// <summary>The Last-Modified value as sent, or null.</summary>
    public required string? LastModified { get; init; }

    /// <summary>The request field names the response varies on (lower case), with the values of the request that fetched it.</summary>
    public required VaryValues Vary { get; init; }

    /// <summary>When the cache received the response.</summary>
    public required double ReceivedAt { get; init; }

    /// <summary>Its age when received (RFC 9111 §4.2.3, corrected_initial_age).</summary>
    public required double InitialAge { get; init; }

    /// <summary>How long it is fresh (RFC 9111 §4.2.1).</summary>
    public required double Lifetime { get; init; }

    /// <summary>How long past freshness it may be served while refreshed in the background.</summary>
    public required double StaleWhileRevalidate { get; init; }

    /// <summary>How long past freshness it may be served when the upstream fails.</summary>
    public required double StaleIfError { get; init; }

    /// <summary>True when it must never be served stale (must-revalidate, proxy-revalidate, or no-cache).</summary>
    public required bool MustRevalidate { get; init; }

    /// <summary>The bytes it holds, counted against the cache's size.</summary>
    public long Size => Response.Body.Length + Response.Fields.Lines.Length + 256;

    /// <summary>Set once a background refresh of this entry has started, so there is only one.</summary>
    public int Refreshing;

    /// <summary>Its age at <paramref name="now"/>.</summary>
    public double AgeAt(double now) => InitialAge + Math.Max(0, now - ReceivedAt);

    /// <summary>How long past its freshness it is at <paramref name="now"/> (negative while fresh).</summary>
    public double StalenessAt(double now) => AgeAt(now) - Lifetime;

    /// <summary>True when there is a validator to revalidate it with.</summary>
    public bool HasValidator => ETag is not null || LastModified is not null;
}
