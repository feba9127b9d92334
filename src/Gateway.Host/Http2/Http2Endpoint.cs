using System.Net;
using System.Net.Security;
using Gateway.Core.Server;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Gateway.Host.Http2;

/// <summary>An HTTP/2 listener's entry into the gateway: each request Kestrel's HTTP/2 reads is served by <see cref="Http2Exchange"/>.</summary>
/// <remarks>
/// Kestrel's HTTP/2 runs only inside its own HTTP stack, so the listener's HTTP/2 connections carry this endpoint as a
/// connection feature, and the application's first middleware (<see cref="Dispatch"/>) hands their requests here; the admin
/// listener's requests carry none and go on to the admin endpoints. On an https:// listener the connection middleware
/// (<see cref="ByAlpn"/>) decides after the handshake: <c>h2</c> goes to Kestrel's HTTP/2, anything else to our HTTP/1.1 handler.
/// </remarks>
/// <param name="engine">The engine the requests run.</param>
/// <param name="listener">The number of the listener this endpoint serves (see <c>FrontendRoutes.ListenerOf</c>).</param>
/// <param name="scheme">The scheme the clients connected with, for X-Forwarded-Proto.</param>
internal sealed class Http2Endpoint(GatewayEngine engine, int listener, string scheme)
{
    /// <summary>The middleware that serves the requests of an HTTP/2 listener's connections and passes every other request on.</summary>
    public static RequestDelegate Dispatch(RequestDelegate next) =>
        context => context.Features.Get<Http2Endpoint>() is { } endpoint ? endpoint.ServeAsync(context) : next(context);

    /// <summary>The connection middleware of an h2c:// listener: every connection is HTTP/2.</summary>
    public ConnectionDelegate Cleartext(ConnectionDelegate next) => connection =>
    {
        connection.Features.Set(this);
        return next(connection);
    };

    /// <summary>The connection middleware of an https:// listener: a connection that chose <c>h2</c> by ALPN goes to Kestrel's HTTP/2, any other to <paramref name="http1"/>.</summary>
    public Func<ConnectionDelegate, ConnectionDelegate> ByAlpn(ConnectionHandler http1) => next => connection =>
    {
        if (connection.Features.Get<ITlsApplicationProtocolFeature>() is { } tls
            && tls.ApplicationProtocol.Span.SequenceEqual(SslApplicationProtocol.Http2.Protocol.Span))
        {
            connection.Features.Set(this);
            return next(connection);
        }

        return http1.OnConnectedAsync(connection);
    };

    private Task ServeAsync(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress is { } ip ? GatewayConnectionHandler.PeerAddress(new IPEndPoint(ip, 0)) : null;
        return Http2Exchange.RunAsync(engine, context, GatewayConnectionHandler.ClientOf(engine.Settings, address, scheme, listener));
    }
}
