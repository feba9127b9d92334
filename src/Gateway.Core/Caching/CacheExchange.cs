using Gateway.Core.Http;
using Gateway.Core.Pipeline;

namespace Gateway.Core.Caching;

/// <summary>
/// A cached route's GET that went upstream (a miss, or a stale entry being revalidated), from its response head to its end:
/// a revalidation's 304 renews the entry and the client gets it; an upstream failure within <c>stale-if-error</c> gets the
/// client the stale entry; a storable answer is copied as it passes to the client and stored once it was sent whole. Its
/// end always finishes the fetch other requests for the key may be waiting on.
/// </summary>
internal sealed class CacheExchange(ResponseCache cache, string key, CachedResponse? stale, TaskCompletionSource? flight, bool identified, double requestTime)
    : IResponseBodyObserver
{
    private StoragePlan? _plan;
    private int _status;
    private FieldList? _fields;
    private byte[] _body = [];
    private int _length;

    /// <summary>Acts on the response head about to be sent (the upstream's, or the gateway's own error).</summary>
    public void OnHead(RequestContext context, int status, IFieldList fields)
    {
        var now = cache.Now;
        if (stale is not null && status == 304 && stale.HasValidator)
        {
            var renewedFields = EntryBuilder.Updated(stale, fields);
            var entry = StorageRules.Plan(cache.Settings, stale.Response.Status, renewedFields, stale.Vary, identified, requestTime, now) is { } plan
                ? EntryBuilder.Build(plan, stale.Response.Status, renewedFields, stale.Response.Body, now)
                : null;
            if (entry is null)
            {
                cache.Memory.Remove(key, stale);
            }
            else
            {
                cache.Store(key, entry);
            }

            cache.Counters?.Hits.Inc();
            context.ReplaceResponse(CacheAnswer.For(context, entry ?? stale, "HIT"u8, now));
            return;
        }

        if (stale is not null && status is 500 or 502 or 503 or 504 && !stale.MustRevalidate && stale.StalenessAt(now) <= stale.StaleIfError)
        {
            cache.Counters?.Stale.Inc();
            context.ReplaceResponse(CacheAnswer.For(context, stale, "STALE"u8, now));
            return;
        }

        cache.Counters?.Misses.Inc();
        CacheAnswer.Label(context, "MISS"u8);
        _plan = StorageRules.Plan(cache.Settings, status, fields, VaryValues.Of(fields, context.Head), identified, requestTime, now);
        var declared = StorageRules.Value(fields, "Content-Length"u8);
        if (_plan is null || (HttpSyntax.TryParseDecimal(declared, out var length) && length > cache.Settings.MaxEntryBytes))
        {
            _plan = null;
            return;
        }

        _status = status;
        _fields = new FieldList(512);
        for (var i = 0; i < fields.Count; i++)
        {
            _fields.Add(fields.NameOf(i), fields.ValueOf(i));
        }

        _body = declared.IsEmpty ? new byte[4096] : new byte[(int)length];
    }

    /// <inheritdoc/>
    public void OnBody(ReadOnlySpan<byte> data)
    {
        if (_plan is null)
        {
            return;
        }

        if (_length + data.Length > cache.Settings.MaxEntryBytes)
        {
            _plan = null;
            return;
        }

        if (_length + data.Length > _body.Length)
        {
            Array.Resize(ref _body, Math.Min(Math.Max(_body.Length * 2, _length + data.Length), cache.Settings.MaxEntryBytes));
        }

        data.CopyTo(_body.AsSpan(_length));
        _length += data.Length;
    }

    /// <inheritdoc/>
    public void OnEnd(bool complete)
    {
        try
        {
            if (_plan is not null && complete)
            {
                cache.Store(key, EntryBuilder.Build(_plan, _status, _fields!, _body.AsMemory(0, _length), cache.Now));
            }
        }
        finally
        {
            _plan = null;
            if (flight is not null)
            {
                cache.Flights.Finish(key, flight);
            }
        }
    }
}
