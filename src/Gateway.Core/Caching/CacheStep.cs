using Gateway.Core.Http;
using Gateway.Core.Pipeline;

namespace Gateway.Core.Caching;

/// <summary>
/// A route's response cache, the last step before forwarding: answers GET and HEAD from a fresh entry (HIT), from a stale
/// one while it is refreshed in the background (STALE), or lets the request go upstream (MISS), where one request per key
/// fetches while the others wait for it. Requests the cache must not answer or store (other methods, a body, a range,
/// a WebSocket handshake, the client's <c>no-store</c>) pass with <c>X-Cache: BYPASS</c>. Client conditionals are answered from entries and
/// never sent upstream for a GET, so the upstream's full answer can be stored.
/// </summary>
internal sealed class CacheStep(ResponseCache cache, byte[] routeId, ForwardTarget target) : RouteStep
{
    /// <inheritdoc/>
    public override StepStage Stage => StepStage.CacheLookup;

    /// <inheritdoc/>
    public override ValueTask<StepOutcome> OnRequestAsync(RequestContext context)
    {
        var head = context.Head;
        var get = head.MethodBytes.SequenceEqual("GET"u8);
        var directives = CacheControl.Of(head);
        if ((!get && !head.MethodBytes.SequenceEqual("HEAD"u8)) || head.HasBody || head.WebSocketUpgrade || !head.FirstValueOf("Range"u8).IsEmpty
            || directives.NoStore)
        {
            cache.Counters?.Bypassed.Inc();
            CacheAnswer.Label(context, "BYPASS"u8);
            return new ValueTask<StepOutcome>(StepOutcome.Continue);
        }

        var key = CacheKey.Of(context, routeId, cache.Settings);
        var skipStored = directives.NoCache && cache.Settings.Definition.HonourClientNoCache;
        var entry = skipStored ? null : cache.Find(key, head);
        var now = cache.Now;
        if (entry is not null && entry.StalenessAt(now) < 0)
        {
            cache.Counters?.Hits.Inc();
            return new ValueTask<StepOutcome>(StepOutcome.Respond(CacheAnswer.For(context, entry, "HIT"u8, now)));
        }

        return LookFurtherAsync(context, key, entry, get, skipStored);
    }

    /// <inheritdoc/>
    public override IResponseBodyObserver? OnResponse(RequestContext context, int status, IFieldList fields)
    {
        (context.StepState as CacheExchange)?.OnHead(context, status, fields);
        return null;
    }

    /// <summary>The request found no fresh entry in memory: the shared tier, a stale entry, a fetch to wait for, or upstream.</summary>
    private async ValueTask<StepOutcome> LookFurtherAsync(RequestContext context, string key, CachedResponse? entry, bool get, bool skipStored)
    {
        var head = context.Head;
        if (entry is null && !skipStored && cache.Tier is not null)
        {
            entry = await cache.FindSharedAsync(key, head).ConfigureAwait(false);
        }

        var identified = context.Consumer is not null || context.Claims is not null || !head.FirstValueOf("Authorization"u8).IsEmpty;
        var now = cache.Now;
        if (entry is not null)
        {
            var staleness = entry.StalenessAt(now);
            if (staleness < 0)
            {
                cache.Counters?.Hits.Inc();
                return StepOutcome.Respond(CacheAnswer.For(context, entry, "HIT"u8, now));
            }

            if (get && !entry.MustRevalidate && staleness <= entry.StaleWhileRevalidate)
            {
                cache.Counters?.Stale.Inc();
                await CacheRefresher.StartAsync(cache, key, entry, context, target, identified).ConfigureAwait(false);
                return StepOutcome.Respond(CacheAnswer.For(context, entry, "STALE"u8, now));
            }
        }

        if (!get)
        {
            // A HEAD answer has no body to store: it goes upstream as it is.
            cache.Counters?.Misses.Inc();
            CacheAnswer.Label(context, "MISS"u8);
            return StepOutcome.Continue;
        }

        TaskCompletionSource? flight = null;
        if (!skipStored)
        {
            if (cache.Flights.TryLead(key, out var fetch))
            {
                flight = fetch;
            }
            else if (await WaitAsync(fetch).ConfigureAwait(false) && cache.Find(key, head) is { } fetched && fetched.StalenessAt(cache.Now) < 0)
            {
                cache.Counters?.Coalesced.Inc();
                cache.Counters?.Hits.Inc();
                return StepOutcome.Respond(CacheAnswer.For(context, fetched, "HIT"u8, cache.Now));
            }
        }

        var exchange = new CacheExchange(cache, key, entry, flight, identified, now);
        context.StepState = exchange;
        context.Watch(exchange);
        Revalidation.SetConditions(context, entry);
        return StepOutcome.Continue;
    }

    /// <summary>Waits for another request's fetch, as long as the cache's coalescing wait; false when it took longer.</summary>
    private async ValueTask<bool> WaitAsync(TaskCompletionSource fetch)
    {
        try
        {
            await fetch.Task.WaitAsync(cache.Settings.CoalesceWait).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
