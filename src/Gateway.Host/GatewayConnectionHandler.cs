using System.Net;
using Gateway.Core.Http;
using Gateway.Core.Proxy;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace Gateway.Host;

/// <summary>Kestrel's entry into the gateway: every accepted public connection runs our HTTP/1.1 loop, not ASP.NET's.</summary>
internal sealed class GatewayConnectionHandler(GatewayEngine engine) : ConnectionHandler
{
    /// <inheritdoc/>
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var metrics = engine.Reporter.Metrics;
        metrics?.ConnectionsAccepted.Inc();
        metrics?.ConnectionsOpen.Inc();
        try
        {
            var client = new ClientInfo(RemoteAddress(connection.RemoteEndPoint), "http", IsTrusted(connection.RemoteEndPoint));
            using var http = new Http1Connection(engine, connection.Transport, client, connection.Abort, connection.ConnectionClosed);
            var lifetime = connection.Features.Get<IConnectionLifetimeNotificationFeature>();
            using var closeRequested = lifetime?.ConnectionClosedRequested.UnsafeRegister(static state => ((Http1Connection)state!).RequestClose(), http);
            await http.RunAsync().ConfigureAwait(false);
        }
        finally
        {
            metrics?.ConnectionsOpen.Dec();
            metrics?.ConnectionsClosed.Inc();
        }
    }

    private bool IsTrusted(EndPoint? endPoint)
    {
        if (endPoint is not IPEndPoint { Address: var address })
        {
            return false;
        }

        address = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        foreach (var network in engine.Settings.TrustedProxies)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    private static string RemoteAddress(EndPoint? endPoint) => endPoint switch
    {
        IPEndPoint { Address.IsIPv4MappedToIPv6: true } ip => ip.Address.MapToIPv4().ToString(),
        IPEndPoint ip => ip.Address.ToString(),
        _ => "unknown",
    };
}
