using System.Text;
using Gateway.Core.Http;
using Gateway.Core.Observability;

namespace Gateway.Core.Proxy;

/// <summary>
/// Copies the client's header fields onto the upstream request: hop-by-hop fields (and every field named in
/// Connection) are dropped, client-supplied forwarding fields are replaced by the gateway's own
/// X-Forwarded-For/-Proto/-Host (extended instead when the peer is a trusted proxy), Via gains the gateway's entry, and the request id and trace context
/// (traceparent with the gateway's span as parent) are set.
/// </summary>
internal static class RequestHeaderRules
{
    /// <summary>The gateway's pseudonym in Via.</summary>
    public const string ViaName = "gateway";

    /// <summary>Adds the forwarded fields of <paramref name="head"/> to <paramref name="request"/> (and its content).</summary>
    public static void Apply(RequestHead head, HttpRequestMessage request, ClientInfo client, RequestRecord record)
    {
        var headers = request.Headers;
        for (var i = 0; i < head.HeaderCount; i++)
        {
            var field = head.Headers[i];
            if (field.HopByHop || field.Known != KnownHeader.Other)
            {
                continue;
            }

            var name = HeaderNames.Get(head.NameOf(i));
            var value = Encoding.Latin1.GetString(head.ValueOf(i));
            if (!headers.TryAddWithoutValidation(name, value))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }

        if (head.AcceptsTrailers)
        {
            headers.TryAddWithoutValidation("TE", "trailers");
        }

        var via = head.Version == Http.HttpVersion.Http10 ? "1.0 " + ViaName : "1.1 " + ViaName;
        var clientVia = ClientValue(head, KnownHeader.Via);
        headers.TryAddWithoutValidation("Via", clientVia is null ? via : clientVia + ", " + via);
        headers.TryAddWithoutValidation("X-Request-Id", record.RequestIdString());
        headers.TryAddWithoutValidation("traceparent", record.Trace.UpstreamTraceParent());
        var forwardedFor = client.TrustedProxy ? ClientValue(head, KnownHeader.XForwardedFor) : null;
        headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor is null ? client.RemoteAddress : forwardedFor + ", " + client.RemoteAddress);
        var proto = client.TrustedProxy ? ClientValue(head, KnownHeader.XForwardedProto) : null;
        headers.TryAddWithoutValidation("X-Forwarded-Proto", proto ?? client.Scheme);
        var host = client.TrustedProxy ? ClientValue(head, KnownHeader.XForwardedHost) : null;
        if (host is not null || !head.Authority.Equals(default))
        {
            headers.TryAddWithoutValidation("X-Forwarded-Host", host ?? Encoding.Latin1.GetString(head.AuthorityBytes));
        }
    }

    /// <summary>The client's values of <paramref name="known"/>, joined as one list, or null when it sent none.</summary>
    private static string? ClientValue(RequestHead head, KnownHeader known)
    {
        string? joined = null;
        for (var i = 0; i < head.HeaderCount; i++)
        {
            if (head.Headers[i].Known == known && head.Headers[i].ValueLength > 0)
            {
                var value = Encoding.Latin1.GetString(head.ValueOf(i));
                joined = joined is null ? value : joined + ", " + value;
            }
        }

        return joined;
    }
}
