using System.Net.Security;
using Gateway.Core.Http;
using Gateway.Core.Pipeline;
using Gateway.Core.Server;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Gateway.Host.Http2;

/// <summary>An HTTP/2 listener's entry into the gateway: each request Kestrel's HTTP/2 reads is served by <see cref="Http2Exchange"/>.</summary>
/// <remarks>
/// Kestrel's HTTP/2 runs only inside its own HTTP stack, so the listener's HTTP/2 connections carry an <see cref="Http2Client"/>
/// as a connection feature, and the application's first middleware (<see cref="Dispatch"/>) hands their requests to it; the
/// admin listener's requests carry none and go on to the admin endpoints. On an https:// listener the connection middleware
/// (<see cref="ByAlpn"/>) decides after the handshake: <c>h2</c> goes to Kestrel's HTTP/2, anything else to our HTTP/1.1 handler.
/// An HTTP/2 connection counts toward the same caps and connection metrics as an HTTP/1.1 one. One over a cap is asked to
/// close at once (Kestrel sends GOAWAY), and any request it opened before that is answered 503, as an HTTP/1.1 one would be.
/// </remarks>
/// <param name="engine">The engine the requests run.</param>
/// <param name="listener">The number of the listener this endpoint serves (see <c>FrontendRoutes.ListenerOf</c>).</param>
/// <param name="scheme">The scheme the clients connected with, for X-Forwarded-Proto.</param>
internal sealed class Http2Endpoint(GatewayEngine engine, int listener, string scheme)
{
    /// <summary>The middleware that serves the requests of an HTTP/2 listener's connections and passes every other request on.</summary>
    public static RequestDelegate Dispatch(RequestDelegate next) =>
        context => context.Features.Get<Http2Client>() is { } client ? client.ServeAsync(context) : next(context);

    /// <summary>The connection middleware of an h2c:// listener: every connection is HTTP/2.</summary>
    public ConnectionDelegate Cleartext(ConnectionDelegate next) => connection => RunAsync(connection, next);

    /// <summary>The connection middleware of an https:// listener: a connection that chose <c>h2</c> by ALPN goes to Kestrel's HTTP/2, any other to <paramref name="http1"/>.</summary>
    public Func<ConnectionDelegate, ConnectionDelegate> ByAlpn(ConnectionHandler http1) => next => connection =>
        connection.Features.Get<ITlsApplicationProtocolFeature>() is { } tls
        && tls.ApplicationProtocol.Span.SequenceEqual(SslApplicationProtocol.Http2.Protocol.Span)
            ? RunAsync(connection, next)
            : http1.OnConnectedAsync(connection);

    /// <summary>Counts the connection, admits it under the caps (or refuses it) and runs Kestrel's HTTP/2 on it until it closes.</summary>
    private async Task RunAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        var metrics = engine.Reporter.Metrics;
        metrics?.ConnectionsAccepted.Inc();
        metrics?.Http2ConnectionsAccepted.Inc();
        metrics?.ConnectionsOpen.Inc();
        try
        {
            var address = GatewayConnectionHandler.PeerAddress(connection.RemoteEndPoint);
            var client = GatewayConnectionHandler.ClientOf(engine.Settings, address, scheme, listener, http2: true);
            var refusal = engine.Connections.TryAdmit(address);
            connection.Features.Set(new Http2Client(engine, client, refusal));
            if (refusal is not null)
            {
                GatewayConnectionHandler.CountRefusal(metrics, refusal);
                connection.Features.Get<IConnectionLifetimeNotificationFeature>()?.RequestClose();
                await next(connection).ConfigureAwait(false);
                return;
            }

            try
            {
                await next(connection).ConfigureAwait(false);
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

    /// <summary>One HTTP/2 connection's client, known once for all its requests, and the cap that refused it, if one did.</summary>
    private sealed class Http2Client(GatewayEngine engine, ClientInfo client, RequestError? refusal)
    {
        /// <summary>Serves one of the connection's requests (a refused connection's requests are answered with the refusal).</summary>
        public Task ServeAsync(HttpContext context) => Http2Exchange.RunAsync(engine, context, client, refusal);
    }
}
