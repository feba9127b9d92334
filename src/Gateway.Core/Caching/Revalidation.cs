using Gateway.Core.Pipeline;

namespace Gateway.Core.Caching;

/// <summary>
/// The conditional fields of a cached route's request to its upstream: the client's <c>If-None-Match</c> and
/// <c>If-Modified-Since</c> never go (the cache answers them itself, and needs the upstream's full answer to store), and a
/// stored entry being revalidated adds its own validator: its entity tag, else its Last-Modified date.
/// </summary>
internal static class Revalidation
{
    private static readonly byte[] IfNoneMatch = "If-None-Match"u8.ToArray();
    private static readonly byte[] IfModifiedSince = "If-Modified-Since"u8.ToArray();

    /// <summary>Edits the upstream fields of the request in <paramref name="context"/>, for revalidating <paramref name="entry"/> when given.</summary>
    public static void SetConditions(RequestContext context, CachedResponse? entry)
    {
        context.UpstreamFields.Remove(IfNoneMatch);
        context.UpstreamFields.Remove(IfModifiedSince);
        if (entry?.ETag is { } etag)
        {
            context.UpstreamFields.Added.Add(IfNoneMatch, etag);
        }
        else if (entry?.LastModified is { } modified)
        {
            context.UpstreamFields.Added.Add(IfModifiedSince, modified);
        }
    }
}
