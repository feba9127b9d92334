using System.Net;
using Gateway.Core.Configuration;
using Gateway.Core.Http;
using Gateway.Core.Observability;
using Gateway.Host.Logging;

namespace Gateway.Host.Tests.Infrastructure;

/// <summary>The gateway started in-process on 127.0.0.1 port 0 (public and admin), with helpers to talk to it over raw sockets.</summary>
internal sealed class TestGateway : IAsyncDisposable
{
    private TestGateway(GatewayServer server) => Server = server;

    /// <summary>
    /// The settings every test starts from: loopback listeners on free ports, a drain timeout longer than any test wait,
    /// and the access log off (the tests that check it turn it on).
    /// </summary>
    public static GatewaySettings DefaultSettings { get; } = new()
    {
        Listen = ["http://127.0.0.1:0"],
        AdminListen = "http://127.0.0.1:0",
        DrainTimeout = TimeSpan.FromSeconds(30),
        Observability = new ObservabilitySettings { AccessLog = new AccessLogSettings { Target = "off" } },
    };

    /// <summary>The running server.</summary>
    public GatewayServer Server { get; }

    /// <summary>The public endpoint.</summary>
    public IPEndPoint EndPoint => Server.PublicEndPoints[0];

    /// <summary>The endpoint of the first listener of frontend <paramref name="frontend"/>'s own.</summary>
    public IPEndPoint FrontendEndPoint(string frontend) =>
        Server.PublicEndPoints[Server.PublicFrontends.ToList().IndexOf(frontend) is var index and >= 0 ? index : throw new ArgumentException($"no listener of frontend \"{frontend}\"", nameof(frontend))];

    /// <summary>The admin endpoint.</summary>
    public IPEndPoint AdminEndPoint => Server.AdminEndPoint ?? throw new InvalidOperationException("The admin listener is off.");

    /// <summary>Starts a gateway serving <paramref name="config"/>; <paramref name="tune"/> adjusts the default settings.</summary>
    public static Task<TestGateway> StartAsync(GatewayConfig config, Func<GatewaySettings, GatewaySettings>? tune = null) =>
        StartAsync(ConfigSource.Fixed(config, "e2e.json"), tune);

    /// <summary>Starts a gateway whose configuration comes from <paramref name="source"/> (a file, for reload tests).</summary>
    public static async Task<TestGateway> StartAsync(ConfigSource source, Func<GatewaySettings, GatewaySettings>? tune = null)
    {
        var settings = tune is null ? DefaultSettings : tune(DefaultSettings);
        return new TestGateway(await GatewayServer.StartAsync(settings, source, new GatewayLog(GatewayLogFormat.Text, TextWriter.Null)));
    }

    /// <summary>Starts a gateway with <paramref name="limits"/> changed from the defaults.</summary>
    public static Task<TestGateway> StartAsync(GatewayConfig config, Func<HttpLimits, HttpLimits> limits) =>
        StartAsync(config, s => s with { Limits = limits(s.Limits) });

    /// <summary>Opens a raw connection to the public endpoint.</summary>
    public Task<RawConnection> ConnectAsync() => RawConnection.OpenAsync(EndPoint);

    /// <summary>Sends <paramref name="request"/> on a new connection (to <paramref name="endPoint"/>, else the first public endpoint) and reads one response.</summary>
    public async Task<RawResponse> SendAsync(string request, IPEndPoint? endPoint = null)
    {
        await using var connection = await RawConnection.OpenAsync(endPoint ?? EndPoint);
        await connection.SendAsync(request);
        return await connection.ReadResponseAsync();
    }

    /// <summary>Waits until the gateway has reached its Redis: the instance gauge shows once Redis answered its heartbeat.</summary>
    public async Task AwaitRedisAsync()
    {
        var admin = new AdminClient(AdminEndPoint);
        await Wait.UntilAsync(async () => MetricsText.Value(await admin.MetricsAsync(), "gateway_rate_limit_instances") >= 1 ? "" : null, "the gateway to reach Redis");
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
