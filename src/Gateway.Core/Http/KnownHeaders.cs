namespace Gateway.Core.Http;

/// <summary>The spellings of the <see cref="KnownHeader"/> fields, shared by the request and the upstream response parsers.</summary>
internal static class KnownHeaders
{
    /// <summary>The known field <paramref name="name"/> names (ASCII case-insensitive), or <see cref="KnownHeader.Other"/>.</summary>
    public static KnownHeader Identify(ReadOnlySpan<byte> name) => name.Length switch
    {
        2 when HttpSyntax.EqualsIgnoreCase(name, "TE"u8) => KnownHeader.TE,
        3 when HttpSyntax.EqualsIgnoreCase(name, "Via"u8) => KnownHeader.Via,
        4 when HttpSyntax.EqualsIgnoreCase(name, "Host"u8) => KnownHeader.Host,
        6 when HttpSyntax.EqualsIgnoreCase(name, "Expect"u8) => KnownHeader.Expect,
        7 when HttpSyntax.EqualsIgnoreCase(name, "Upgrade"u8) => KnownHeader.Upgrade,
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
        _ => KnownHeader.Other,
    };
}
