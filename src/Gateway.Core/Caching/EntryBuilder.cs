using Gateway.Core.Http;
using Gateway.Core.Pipeline;

namespace Gateway.Core.Caching;

/// <summary>
/// Makes stored entries: the response's fields as clients get them on hits (less Age, Date, X-Cache and what the gateway
/// writes itself), its 304 for conditional requests (RFC 9110 §15.4.5), and, on a revalidation's 304, the stored fields
/// updated with the new ones (RFC 9111 §4.3.4).
/// </summary>
internal static class EntryBuilder
{
    /// <summary>The entry for a <paramref name="status"/> response with <paramref name="fields"/> and <paramref name="body"/>, stored at <paramref name="now"/> as <paramref name="plan"/> says.</summary>
    public static CachedResponse Build(StoragePlan plan, int status, IFieldList fields, ReadOnlyMemory<byte> body, double now)
    {
        var response = new GatewayResponse { Status = status, Body = body };
        var notModified = new GatewayResponse { Status = 304 };
        for (var i = 0; i < fields.Count; i++)
        {
            var name = fields.NameOf(i);
            if (!Stored(name))
            {
                continue;
            }

            response.Fields.Add(name, fields.ValueOf(i));
            if (InNotModified(name))
            {
                notModified.Fields.Add(name, fields.ValueOf(i));
            }
        }

        var etag = StorageRules.Value(fields, "ETag"u8);
        var modified = StorageRules.Value(fields, "Last-Modified"u8);
        return new CachedResponse
        {
            Response = response,
            NotModified = notModified,
            ETag = etag.IsEmpty ? null : System.Text.Encoding.Latin1.GetString(etag),
            LastModified = modified.IsEmpty ? null : System.Text.Encoding.Latin1.GetString(modified),
            Vary = plan.Vary,
            ReceivedAt = now,
            InitialAge = plan.InitialAge,
            Lifetime = plan.Lifetime,
            StaleWhileRevalidate = plan.StaleWhileRevalidate,
            StaleIfError = plan.StaleIfError,
            MustRevalidate = plan.MustRevalidate,
        };
    }

    /// <summary>The stored fields of <paramref name="entry"/> updated with those of a 304 that revalidated it: a field the 304 carries replaces the stored ones of its name.</summary>
    public static FieldList Updated(CachedResponse entry, IFieldList notModified)
    {
        var stored = entry.Response.Fields;
        var merged = new FieldList(stored.Lines.Length + 256);
        for (var i = 0; i < stored.Count; i++)
        {
            if (!StorageRules.Has(notModified, stored.NameOf(i)))
            {
                merged.Add(stored.NameOf(i), stored.ValueOf(i));
            }
        }

        for (var i = 0; i < notModified.Count; i++)
        {
            if (Stored(notModified.NameOf(i)) && !HttpSyntax.EqualsIgnoreCase(notModified.NameOf(i), "Content-Length"u8))
            {
                merged.Add(notModified.NameOf(i), notModified.ValueOf(i));
            }
        }

        return merged;
    }

    /// <summary>True for the fields an entry keeps: what clients get, less what the cache writes per hit.</summary>
    private static bool Stored(ReadOnlySpan<byte> name) =>
        HeaderRules.RelaysInResponse(HeaderRules.Identify(name)) && !HttpSyntax.EqualsIgnoreCase(name, "Age"u8)
        && !HttpSyntax.EqualsIgnoreCase(name, "Date"u8) && !HttpSyntax.EqualsIgnoreCase(name, "X-Cache"u8);

    private static bool InNotModified(ReadOnlySpan<byte> name) =>
        HttpSyntax.EqualsIgnoreCase(name, "ETag"u8) || HttpSyntax.EqualsIgnoreCase(name, "Last-Modified"u8)
        || HttpSyntax.EqualsIgnoreCase(name, "Cache-Control"u8) || HttpSyntax.EqualsIgnoreCase(name, "Expires"u8)
        || HttpSyntax.EqualsIgnoreCase(name, "Vary"u8) || HttpSyntax.EqualsIgnoreCase(name, "Content-Location"u8);
}
