namespace Gateway.Core.Http;

/// <summary>What the gateway does with a field it knows, toward the upstream and toward the client.</summary>
[Flags]
internal enum HeaderRule : byte
{
    /// <summary>Passed on as it is, both ways.</summary>
    Relayed = 0,

    /// <summary>Hop-by-hop (RFC 9110 §7.6.1) or about trailers the gateway never forwards: not passed on, either way.</summary>
    HopByHop = 1,

    /// <summary>The gateway writes its own in requests toward the upstream (framing, Host, Via, X-Forwarded-*, ids); the client's copy is not passed on as it is.</summary>
    OwnedInRequests = 2,

    /// <summary>The gateway writes its own in responses toward the client (framing, Via, X-Request-Id); the upstream's copy is not passed on as it is.</summary>
    OwnedInResponses = 4,

    /// <summary>Passed on in requests only when the peer is a trusted proxy.</summary>
    FromTrustedProxiesOnly = 8,
}

/// <summary>
/// The one table of header rules: how a field name is recognized, and what the request parser, the upstream request
/// writer, the upstream response parser and the configuration's transforms do with it.
/// </summary>
internal static class HeaderRules
{
    private const HeaderRule Framing = HeaderRule.HopByHop | HeaderRule.OwnedInRequests | HeaderRule.OwnedInResponses;

    private static readonly HeaderRule[] Rules = Table();

    /// <summary>The known field <paramref name="name"/> names (ASCII case-insensitive), or <see cref="KnownHeader.Other"/>.</summary>
    public static KnownHeader Identify(ReadOnlySpan<byte> name) => name.Length switch
    {
        2 when HttpSyntax.EqualsIgnoreCase(name, "TE"u8) => KnownHeader.TE,
        3 when HttpSyntax.EqualsIgnoreCase(name, "Via"u8) => KnownHeader.Via,
        4 when HttpSyntax.EqualsIgnoreCase(name, "Host"u8) => KnownHeader.Host,
        6 when HttpSyntax.EqualsIgnoreCase(name, "Expect"u8) => KnownHeader.Expect,
        6 when HttpSyntax.EqualsIgnoreCase(name, "Origin"u8) => KnownHeader.Origin,
        7 when HttpSyntax.EqualsIgnoreCase(name, "Upgrade"u8) => KnownHeader.Upgrade,
        7 when HttpSyntax.EqualsIgnoreCase(name, "Trailer"u8) => KnownHeader.Trailer,
        9 when HttpSyntax.EqualsIgnoreCase(name, "Forwarded"u8) => KnownHeader.Forwarded,
        10 when HttpSyntax.EqualsIgnoreCase(name, "Connection"u8) => KnownHeader.Connection,
        10 when HttpSyntax.EqualsIgnoreCase(name, "Keep-Alive"u8) => KnownHeader.KeepAlive,
        11 when HttpSyntax.EqualsIgnoreCase(name, "traceparent"u8) => KnownHeader.TraceParent,
        12 when HttpSyntax.EqualsIgnoreCase(name, "X-Request-Id"u8) => KnownHeader.RequestId,
        14 when HttpSyntax.EqualsIgnoreCase(name, "Content-Length"u8) => KnownHeader.ContentLength,
        15 when HttpSyntax.EqualsIgnoreCase(name, "X-Forwarded-For"u8) => KnownHeader.XForwardedFor,
        16 when HttpSyntax.EqualsIgnoreCase(name, "Proxy-Connection"u8) => KnownHeader.ProxyConnection,
        16 when HttpSyntax.EqualsIgnoreCase(name, "X-Forwarded-Host"u8) => KnownHeader.XForwardedHost,
        17 when HttpSyntax.EqualsIgnoreCase(name, "Transfer-Encoding"u8) => KnownHeader.TransferEncoding,
        17 when HttpSyntax.EqualsIgnoreCase(name, "X-Forwarded-Proto"u8) => KnownHeader.XForwardedProto,
        18 when HttpSyntax.EqualsIgnoreCase(name, "Proxy-Authenticate"u8) => KnownHeader.ProxyAuthenticate,
        19 when HttpSyntax.EqualsIgnoreCase(name, "Proxy-Authorization"u8) => KnownHeader.ProxyAuthorization,
        29 when HttpSyntax.EqualsIgnoreCase(name, "Access-Control-Request-Method"u8) => KnownHeader.AccessControlRequestMethod,
        > 12 when HttpSyntax.EqualsIgnoreCase(name[..12], "X-Forwarded-"u8) => KnownHeader.XForwardedOther,
        _ => KnownHeader.Other,
    };

    /// <summary>True for a field that is never passed on, either way.</summary>
    public static bool IsHopByHop(KnownHeader known) => (Rules[(int)known] & HeaderRule.HopByHop) != 0;

    /// <summary>True when the client's field goes upstream byte for byte (from a trusted proxy when <paramref name="trustedProxy"/>).</summary>
    public static bool ForwardsInRequest(KnownHeader known, bool trustedProxy) => Rules[(int)known] switch
    {
        HeaderRule.Relayed => true,
        HeaderRule.FromTrustedProxiesOnly => trustedProxy,
        _ => false,
    };

    /// <summary>True when the upstream's field goes to the client byte for byte.</summary>
    public static bool RelaysInResponse(KnownHeader known) => (Rules[(int)known] & (HeaderRule.HopByHop | HeaderRule.OwnedInResponses)) == 0;

    /// <summary>
    /// True for a field the gateway owns in either direction (framing, hop-by-hop, Host, Via, X-Forwarded-*, Forwarded, Expect,
    /// X-Request-Id, traceparent): configuration may not set or remove it.
    /// </summary>
    public static bool IsGatewayOwned(ReadOnlySpan<byte> name) => Rules[(int)Identify(name)] != HeaderRule.Relayed;

    private static HeaderRule[] Table()
    {
        var rules = new HeaderRule[Enum.GetValues<KnownHeader>().Length];
        rules[(int)KnownHeader.Host] = HeaderRule.OwnedInRequests;
        rules[(int)KnownHeader.ContentLength] = HeaderRule.OwnedInRequests | HeaderRule.OwnedInResponses;
        rules[(int)KnownHeader.TransferEncoding] = Framing;
        rules[(int)KnownHeader.Connection] = Framing;
        rules[(int)KnownHeader.KeepAlive] = HeaderRule.HopByHop;
        rules[(int)KnownHeader.ProxyConnection] = HeaderRule.HopByHop;
        rules[(int)KnownHeader.TE] = HeaderRule.HopByHop;
        rules[(int)KnownHeader.Upgrade] = HeaderRule.HopByHop;
        rules[(int)KnownHeader.Trailer] = HeaderRule.HopByHop;
        rules[(int)KnownHeader.ProxyAuthorization] = HeaderRule.HopByHop;
        rules[(int)KnownHeader.ProxyAuthenticate] = HeaderRule.HopByHop;
        rules[(int)KnownHeader.Expect] = HeaderRule.OwnedInRequests;
        rules[(int)KnownHeader.Via] = HeaderRule.OwnedInRequests | HeaderRule.OwnedInResponses;
        rules[(int)KnownHeader.XForwardedFor] = HeaderRule.OwnedInRequests;
        rules[(int)KnownHeader.XForwardedProto] = HeaderRule.OwnedInRequests;
        rules[(int)KnownHeader.XForwardedHost] = HeaderRule.OwnedInRequests;
        rules[(int)KnownHeader.XForwardedOther] = HeaderRule.FromTrustedProxiesOnly;
        rules[(int)KnownHeader.Forwarded] = HeaderRule.OwnedInRequests;
        rules[(int)KnownHeader.RequestId] = HeaderRule.OwnedInRequests | HeaderRule.OwnedInResponses;
        rules[(int)KnownHeader.TraceParent] = HeaderRule.OwnedInRequests;
        return rules;
    }
}
