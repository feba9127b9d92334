using System.Diagnostics;
using Gateway.Core.Observability;
using Gateway.Core.Pipeline;
using Gateway.Core.Upstreams;

namespace Gateway.Core.Proxy;

/// <summary>The upgrade half of the forwarder: the upstream's 101 to a WebSocket handshake relayed, and both connections handed to a tunnel.</summary>
internal sealed partial class Forwarder
{
    /// <summary>The tunnel the last exchange switched to, once <see cref="ForwardAsync"/> answered <see cref="RequestOutcome.Upgraded"/>; the connection runs it.</summary>
    public WebSocketTunnel? Tunnel { get; private set; }

    /// <summary>
    /// Relays the 101 head (the upstream's Sec-WebSocket-* fields, the gateway's Connection and Upgrade) and, once it is flushed,
    /// makes the tunnel over the client connection and <paramref name="connection"/>; the response's steps see the 101 first.
    /// </summary>
    private async ValueTask<RequestOutcome> SwitchProtocolsAsync(UpstreamConnection connection, UpstreamConnectionPool pool, RequestRecord record)
    {
        record.UpstreamResponded = Stopwatch.GetTimestamp();
        record.Status = 101;
        context.BeforeResponse(101, _response);
        record.BytesOut += ResponseHeadWriter.Write(_clientOutput, _response, ResponseFraming.Switched, close: false, http10Client: false, record.RequestId, context.ResponseFields);
        if (await FlushToClientAsync(RequestOutcome.Upgraded).ConfigureAwait(false) != RequestOutcome.Upgraded)
        {
            return RequestOutcome.Abort;
        }

        Tunnel = new WebSocketTunnel(_clientInput, _clientOutput, connection, pool, webSocketIdleTimeout, clock, metrics);
        return RequestOutcome.Upgraded;
    }
}
