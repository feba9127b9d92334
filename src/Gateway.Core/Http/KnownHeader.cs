namespace Gateway.Core.Http;

/// <summary>The header fields the gateway itself interprets, rewrites or drops, in requests and responses; everything else is <see cref="Other"/>.</summary>
public enum KnownHeader : byte
{
    /// <summary>A field the gateway passes through untouched.</summary>
    Other,

    /// <summary>Host.</summary>
    Host,

    /// <summary>Content-Length.</summary>
    ContentLength,

    /// <summary>Transfer-Encoding.</summary>
    TransferEncoding,

    /// <summary>Connection.</summary>
    Connection,

    /// <summary>Keep-Alive (hop-by-hop).</summary>
    KeepAlive,

    /// <summary>Proxy-Connection (hop-by-hop, non-standard).</summary>
    ProxyConnection,

    /// <summary>TE (hop-by-hop except "trailers").</summary>
    TE,

    /// <summary>Upgrade (hop-by-hop).</summary>
    Upgrade,

    /// <summary>Trailer (announces trailer fields, which the gateway never forwards).</summary>
    Trailer,

    /// <summary>Proxy-Authorization (credentials for the next proxy, hop-by-hop).</summary>
    ProxyAuthorization,

    /// <summary>Proxy-Authenticate (a challenge from the next proxy, hop-by-hop).</summary>
    ProxyAuthenticate,

    /// <summary>Expect.</summary>
    Expect,

    /// <summary>Via (appended to, not replaced).</summary>
    Via,

    /// <summary>X-Forwarded-For (replaced by the gateway).</summary>
    XForwardedFor,

    /// <summary>X-Forwarded-Proto (replaced by the gateway).</summary>
    XForwardedProto,

    /// <summary>X-Forwarded-Host (replaced by the gateway).</summary>
    XForwardedHost,

    /// <summary>Any other X-Forwarded-* field (Port, Prefix, ...): believed only from a trusted proxy.</summary>
    XForwardedOther,

    /// <summary>Forwarded (RFC 7239; dropped, the gateway sends X-Forwarded-*).</summary>
    Forwarded,

    /// <summary>X-Request-Id (kept when valid, else generated; returned to the client).</summary>
    RequestId,

    /// <summary>traceparent (W3C trace context; continued with the gateway's span).</summary>
    TraceParent,

    /// <summary>Access-Control-Request-Method (a CORS preflight names the method it asks about; forwarded as it is).</summary>
    AccessControlRequestMethod,

    /// <summary>Origin (a CORS preflight carries it; forwarded as it is).</summary>
    Origin,
}
