using System.Buffers;
using Gateway.Core.Pipeline;
using Gateway.Core.Proxy;
using Gateway.Core.Upstreams;

namespace Gateway.Core.Caching;

/// <summary>
/// Refreshes an entry served stale under <c>stale-while-revalidate</c>, in the background and once at a time: the request
/// that found it stale is captured as it would go upstream, made conditional on the entry's validators, and sent again by
/// the gateway itself; a 304 renews the entry, a storable answer replaces it, anything else leaves it to age out.
/// </summary>
internal static class CacheRefresher
{
    /// <summary>Starts refreshing <paramref name="stale"/> (stored under <paramref name="key"/>) with the request in <paramref name="context"/>, unless a refresh of it is already running.</summary>
    public static async ValueTask StartAsync(ResponseCache cache, string key, CachedResponse stale, RequestContext context, ForwardTarget target, bool identified)
    {
        if (Interlocked.Exchange(ref stale.Refreshing, 1) != 0)
        {
            return;
        }

        Revalidation.SetConditions(context, stale);
        var (path, fields) = await UpstreamRequestWriter.CaptureAsync(context, target.Rewrite).ConfigureAwait(false);
        var requestTime = cache.Now;
        _ = Task.Run(async () =>
        {
            try
            {
                var call = new UpstreamCallSpec(target.Cluster, target.Retry, target.Timeout ?? target.Cluster.Timeout, cache.Settings.MaxEntryBytes, Head: false, Idempotent: true);
                var answer = await UpstreamCall.RunAsync(call, destination => Request(destination, path, fields), CancellationToken.None).ConfigureAwait(false);
                if (answer.Succeeded && Renewed(cache, stale, answer, identified, requestTime) is { } entry)
                {
                    cache.Store(key, entry);
                }
            }
            finally
            {
                Volatile.Write(ref stale.Refreshing, 0);
            }
        });
    }

    /// <summary>The entry an answer to a refresh makes: the stale one renewed by a 304, a new storable answer, or null.</summary>
    private static CachedResponse? Renewed(ResponseCache cache, CachedResponse stale, UpstreamAnswer answer, bool identified, double requestTime)
    {
        var now = cache.Now;
        if (answer.Status == 304)
        {
            var fields = EntryBuilder.Updated(stale, answer.Fields!);
            return StorageRules.Plan(cache.Settings, stale.Response.Status, fields, stale.Vary, identified, requestTime, now) is { } renewed
                ? EntryBuilder.Build(renewed, stale.Response.Status, fields, stale.Response.Body, now)
                : null;
        }

        var vary = VaryValues.NamesOf(answer.Fields!) is { } names && names.SequenceEqual(stale.Vary.Names) ? stale.Vary : null;
        return StorageRules.Plan(cache.Settings, answer.Status, answer.Fields!, vary, identified, requestTime, now) is { } plan
            ? EntryBuilder.Build(plan, answer.Status, answer.Fields!, answer.Body, now)
            : null;
    }

    private static byte[] Request(Destination destination, byte[] path, byte[] fields)
    {
        var head = new ArrayBufferWriter<byte>(256 + path.Length + fields.Length);
        head.Write("GET "u8);
        head.Write(destination.Endpoint.BasePath);
        head.Write(path);
        head.Write(" HTTP/1.1\r\nHost: "u8);
        head.Write(destination.Endpoint.HostField);
        head.Write("\r\n"u8);
        head.Write(fields);
        return head.WrittenSpan.ToArray();
    }
}
