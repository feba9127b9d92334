using System.Net;
using Gateway.Core.Configuration;
using Gateway.Core.Http;
using Gateway.Core.Observability;
using Gateway.Core.Pipeline;
using Gateway.Core.Server;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Connections;

namespace Gateway.Host;

/// <summary>Kestrel's entry into the gateway: every accepted public connection runs our HTTP/1.1 loop, not ASP.NET's.</summary>
/// <remarks>
/// The connection caps are enforced here, before anything is read: a connection over the total cap or over its client
/// address's cap is answered 503 with <c>Connection: close</c> and closed. The client address is the socket peer's,
/// never a forwarded one. On an https:// listener, Kestrel's TLS has finished the handshake before this runs, and the
/// transport carries the decrypted bytes. Each public listener has its own handler, which knows the listener's number: the
/// frontend whose routes serve the connection.
/// </remarks>
/// <param name="engine">The engine the connections run.</param>
/// <param name="listener">The number of the listener this handler serves (see <c>FrontendRoutes.ListenerOf</c>).</param>
internal sealed class GatewayConnectionHandler(GatewayEngine engine, int listener) : ConnectionHandler
{
    /// <inheritdoc/>
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var metrics = engine.Reporter.Metrics;
        metrics?.ConnectionsAccepted.Inc();
        metrics?.ConnectionsOpen.Inc();
        try
        {
            var address = PeerAddress(connection.RemoteEndPoint);
            var scheme = connection.Features.Get<ITlsHandshakeFeature>() is null ? "http" : "https";
            var client = ClientOf(engine.Settings, address, scheme, listener);
            if (engine.Connections.TryAdmit(address) is { } refusal)
            {
                CountRefusal(metrics, refusal);
                await Http1Connection.RefuseConnectionAsync(engine, connection.Transport.Output, client, refusal).ConfigureAwait(false);
                return;
            }

            try
            {
                using var http = new Http1Connection(engine, connection.Transport, client, connection.Abort, connection.ConnectionClosed);
                var lifetime = connection.Features.Get<IConnectionLifetimeNotificationFeature>();
                using var closeRequested = lifetime?.ConnectionClosedRequested.UnsafeRegister(static state => ((Http1Connection)state!).RequestClose(), http);
                await http.RunAsync().ConfigureAwait(false);
            }
            finally
            {
                engine.Connections.Release(address);
            }
        }
        finally
        {
            metrics?.ConnectionsOpen.Dec();
            metrics?.ConnectionsClosed.Inc();
        }
    }

    /// <summary>Counts a connection a cap refused, labelled with the cap: <c>total</c> or <c>per_client</c>.</summary>
    internal static void CountRefusal(GatewayMetrics? metrics, RequestError refusal) =>
        metrics?.ConnectionsRefused.WithLabels(refusal == RequestError.TooManyConnections ? "total" : "per_client").Inc();

    /// <summary>What the gateway knows of a client at <paramref name="address"/> that came on listener <paramref name="listener"/> with <paramref name="scheme"/>.</summary>
    internal static ClientInfo ClientOf(GatewaySettings settings, IPAddress? address, string scheme, int listener, bool http2 = false) =>
        new(address?.ToString() ?? "unknown", scheme, IsTrusted(settings, address), listener, http2);

    /// <summary>The peer's IP address (IPv4-mapped IPv6 addresses as IPv4), or null when the transport has none.</summary>
    internal static IPAddress? PeerAddress(EndPoint? endPoint) => endPoint switch
    {
        IPEndPoint { Address.IsIPv4MappedToIPv6: true } ip => ip.Address.MapToIPv4(),
        IPEndPoint ip => ip.Address,
        _ => null,
    };

    private static bool IsTrusted(GatewaySettings settings, IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }

        foreach (var network in settings.TrustedProxies)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }
}
