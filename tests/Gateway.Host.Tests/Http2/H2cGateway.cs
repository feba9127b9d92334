using System.Net;
using Gateway.Core.Configuration;
using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Http2;

/// <summary>A test gateway with an HTTP/1.1 listener and an h2c:// one beside it, and an <c>HttpClient</c> that speaks HTTP/2 with prior knowledge.</summary>
internal static class H2cGateway
{
    /// <summary>Starts a gateway serving <paramref name="config"/> on <c>http://</c> (first) and <c>h2c://</c> (second) loopback listeners.</summary>
    public static Task<TestGateway> StartAsync(GatewayConfig config, Func<GatewaySettings, GatewaySettings>? tune = null) =>
        TestGateway.StartAsync(config, s => (tune ?? (t => t))(s with { Listen = ["http://127.0.0.1:0", "h2c://127.0.0.1:0"] }));

    /// <summary>The h2c:// endpoint of a gateway started by <see cref="StartAsync"/>.</summary>
    public static IPEndPoint H2cEndPoint(this TestGateway gateway) => gateway.Server.PublicEndPoints[1];

    /// <summary>A client that sends every request as HTTP/2 over cleartext (prior knowledge) to the gateway's h2c:// listener, on one connection.</summary>
    public static HttpClient Client(TestGateway gateway) => new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false })
    {
        BaseAddress = new Uri($"http://127.0.0.1:{gateway.H2cEndPoint().Port}"),
        DefaultRequestVersion = HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        Timeout = Wait.Generous,
    };
}
