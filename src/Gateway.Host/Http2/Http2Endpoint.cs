using System.Net;
using Gateway.Core.Server;
using Microsoft.AspNetCore.Http;

namespace Gateway.Host.Http2;

/// <summary>An HTTP/2 listener's entry into the gateway: each request Kestrel's HTTP/2 reads is served by <see cref="Http2Exchange"/>.</summary>
/// <remarks>
/// Kestrel's HTTP/2 runs only inside its own HTTP stack, so the listener's connections carry this endpoint as a connection
/// feature, and the application's first middleware (<see cref="Dispatch"/>) hands their requests here; the admin listener's
/// requests carry none and go on to the admin endpoints.
/// </remarks>
/// <param name="engine">The engine the requests run.</param>
/// <param name="listener">The number of the listener this endpoint serves (see <c>FrontendRoutes.ListenerOf</c>).</param>
/// <param name="scheme">The scheme the clients connected with, for X-Forwarded-Proto.</param>
internal sealed class Http2Endpoint(GatewayEngine engine, int listener, string scheme)
{
    /// <summary>The middleware that serves the requests of an HTTP/2 listener's connections and passes every other request on.</summary>
    public static RequestDelegate Dispatch(RequestDelegate next) =>
        context => context.Features.Get<Http2Endpoint>() is { } endpoint ? endpoint.ServeAsync(context) : next(context);

    private Task ServeAsync(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress is { } ip ? GatewayConnectionHandler.PeerAddress(new IPEndPoint(ip, 0)) : null;
        return Http2Exchange.RunAsync(engine, context, GatewayConnectionHandler.ClientOf(engine.Settings, address, scheme, listener));
    }
}
