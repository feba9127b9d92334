using Gateway.Core.Http;
using Gateway.Core.Pipeline;

namespace Gateway.Core.Caching;

/// <summary>
/// Answers a request from a stored entry: the stored response, or its 304 when the client's conditional request matches
/// (RFC 9110 §13.1.2 and §13.1.3: If-None-Match by weak comparison, else If-Modified-Since), with X-Cache and Age.
/// </summary>
internal static class CacheAnswer
{
    private static readonly byte[] XCache = "X-Cache"u8.ToArray();

    /// <summary>Says how the cache dealt with the request in <paramref name="context"/>: X-Cache <paramref name="label"/>, in place of any the upstream sent.</summary>
    public static void Label(RequestContext context, ReadOnlySpan<byte> label) => context.ResponseFields.Set(XCache, label);

    /// <summary>
    /// The response for the request in <paramref name="context"/> from <paramref name="entry"/> at <paramref name="now"/>; adds
    /// X-Cache (<paramref name="label"/>) and Age (an entry holds neither, so nothing of it needs removing).
    /// </summary>
    public static GatewayResponse For(RequestContext context, CachedResponse entry, ReadOnlySpan<byte> label, double now)
    {
        var fields = context.ResponseFields.Added;
        fields.Add(XCache, label);
        fields.BeginField("Age"u8);
        fields.AppendNumber((long)entry.AgeAt(now));
        fields.EndField();
        return NotModified(context.Head, entry) ? entry.NotModified : entry.Response;
    }

    /// <summary>True when the client's conditional request says it already has <paramref name="entry"/>.</summary>
    private static bool NotModified(RequestHead head, CachedResponse entry)
    {
        var noneMatch = head.FirstValueOf("If-None-Match"u8);
        if (!noneMatch.IsEmpty)
        {
            return entry.ETag is { } etag && Matches(noneMatch, System.Text.Encoding.Latin1.GetBytes(etag));
        }

        var since = head.FirstValueOf("If-Modified-Since"u8);
        return !since.IsEmpty && entry.LastModified is { } modified
            && HttpDate.Parse(since) is { } sinceDate && HttpDate.Parse(System.Text.Encoding.Latin1.GetBytes(modified)) is { } modifiedDate
            && modifiedDate <= sinceDate;
    }

    /// <summary>True when the If-None-Match list names <paramref name="etag"/> (weak comparison) or is "*".</summary>
    private static bool Matches(ReadOnlySpan<byte> list, ReadOnlySpan<byte> etag)
    {
        var opaque = Opaque(etag);
        foreach (var range in list.Split((byte)','))
        {
            var candidate = list[range].Trim((byte)' ');
            if (candidate.SequenceEqual("*"u8) || (!candidate.IsEmpty && Opaque(candidate).SequenceEqual(opaque)))
            {
                return true;
            }
        }

        return false;
    }

    private static ReadOnlySpan<byte> Opaque(ReadOnlySpan<byte> tag) => tag.StartsWith("W/"u8) ? tag[2..] : tag;
}
