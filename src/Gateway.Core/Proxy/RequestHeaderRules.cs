using System.Text;
using Gateway.Core.Http;
using Gateway.Core.Observability;

namespace Gateway.Core.Proxy;

/// <summary>
/// Copies the client's header fields onto the upstream request: hop-by-hop fields (and every field named in
/// Connection) are dropped, client-supplied forwarding fields are replaced by the gateway's own
/// X-Forwarded-For/-Proto/-Host, Via gains the gateway's entry, and the request id and trace context
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
        headers.TryAddWithoutValidation("Via", head.ViaIndex >= 0 ? Encoding.Latin1.GetString(head.ValueOf(head.ViaIndex)) + ", " + via : via);
        headers.TryAddWithoutValidation("X-Request-Id", record.RequestIdString());
        headers.TryAddWithoutValidation("traceparent", record.Trace.UpstreamTraceParent());
        headers.TryAddWithoutValidation("X-Forwarded-For", client.RemoteAddress);
        headers.TryAddWithoutValidation("X-Forwarded-Proto", client.Scheme);
        if (!head.Authority.Equals(default))
        {
            headers.TryAddWithoutValidation("X-Forwarded-Host", Encoding.Latin1.GetString(head.AuthorityBytes));
        }
    }
}
