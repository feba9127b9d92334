using Gateway.Core.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Gateway.Host.Http2;

/// <summary>Kestrel's limits set from the gateway's own, so that an HTTP/2 client meets the bounds an HTTP/1.1 one does.</summary>
/// <remarks>
/// Kestrel's HTTP/2 enforces these before a request reaches the gateway: the header block's total size (advertised as
/// SETTINGS_MAX_HEADER_LIST_SIZE) and field count, one field no larger than the whole block, the head deadline, and the idle
/// deadline of a connection with no open stream. Kestrel's minimum body rate is off: the gateway's own (GATEWAY_MIN_REQUEST_BODY_RATE)
/// applies to the body as it reaches the engine. Kestrel's defaults stay for 100 concurrent streams a connection, the 4 KiB
/// HPACK table, the minimum response rate and its rapid-reset protection. The admin listener gets the same bounds.
/// </remarks>
internal static class KestrelLimits
{
    /// <summary>Copies <paramref name="gateway"/>'s bounds into <paramref name="kestrel"/>.</summary>
    public static void Apply(KestrelServerLimits kestrel, HttpLimits gateway)
    {
        kestrel.MaxRequestHeadersTotalSize = gateway.MaxRequestHeadersBytes;
        kestrel.MaxRequestHeaderCount = gateway.MaxRequestHeaderCount;
        kestrel.Http2.MaxRequestHeaderFieldSize = gateway.MaxRequestHeadersBytes;
        kestrel.RequestHeadersTimeout = gateway.RequestHeadersTimeout;
        kestrel.KeepAliveTimeout = gateway.KeepAliveTimeout;
        kestrel.MinRequestBodyDataRate = null;
    }
}
