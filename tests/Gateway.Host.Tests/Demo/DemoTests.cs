using Gateway.Core.Configuration;
using Gateway.Core.Observability;
using Gateway.Host.Demo;
using Gateway.Host.Logging;
using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Demo;

/// <summary>The demo as the banner shows it: its sample services behind the repository's gateway.json, answering the banner's requests.</summary>
public sealed class DemoTests
{
    private static readonly GatewayLog SilentLog = new(GatewayLogFormat.Text, TextWriter.Null);

    [Fact]
    public async Task TheBannersRequestsAnswerAsItSays()
    {
        await using var services = await DemoServices.StartAsync(SilentLog);
        await using var gateway = await TestGateway.StartAsync(DemoConfig());
        await using var connection = await gateway.ConnectAsync();

        await connection.SendAsync("GET /users/1 HTTP/1.1\r\nHost: localhost\r\n\r\n");
        var user = await connection.ReadResponseAsync();
        await connection.SendAsync("GET /orders/7 HTTP/1.1\r\nHost: localhost\r\n\r\n");
        var order = await connection.ReadResponseAsync();
        await connection.SendAsync("GET /v0/orders/7 HTTP/1.1\r\nHost: localhost\r\n\r\n");
        var moved = await connection.ReadResponseAsync();
        await connection.SendAsync("GET /status HTTP/1.1\r\nHost: localhost\r\n\r\n");
        var status = await connection.ReadResponseAsync();
        await connection.SendAsync("GET /internal/status HTTP/1.1\r\nHost: localhost\r\n\r\n");
        var filtered = await connection.ReadResponseAsync();
        await connection.SendAsync("OPTIONS /users HTTP/1.1\r\nHost: localhost\r\nOrigin: http://localhost:3000\r\nAccess-Control-Request-Method: GET\r\n\r\n");
        var preflight = await connection.ReadResponseAsync();
        await connection.SendAsync("GET /partner/orders/7 HTTP/1.1\r\nHost: localhost\r\nX-Api-Key: demo-key\r\n\r\n");
        var partner = await connection.ReadResponseAsync();
        await connection.SendAsync("GET /partner/orders/7 HTTP/1.1\r\nHost: localhost\r\n\r\n");
        var stranger = await connection.ReadResponseAsync();
        using var http = new HttpClient();
        var token = await http.GetStringAsync("http://127.0.0.1:5108/token?sub=alice");
        await connection.SendAsync($"GET /me/orders/7 HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {token}\r\n\r\n");
        var mine = await connection.ReadResponseAsync();
        await connection.SendAsync("GET /me/orders/7 HTTP/1.1\r\nHost: localhost\r\n\r\n");
        var anonymous = await connection.ReadResponseAsync();

        Assert.Equal(200, user.Status);
        Assert.Contains("\"id\":1", user.BodyText, StringComparison.Ordinal);
        Assert.Equal("DENY", user.Header("X-Frame-Options"));
        Assert.Null(user.Header("Server"));
        Assert.Equal(200, order.Status);
        Assert.Contains("\"status\":\"shipped\"", order.BodyText, StringComparison.Ordinal);
        Assert.Equal(308, moved.Status);
        Assert.Equal("/orders/7", moved.Header("Location"));
        Assert.Equal(200, status.Status);
        Assert.Equal("application/json", status.Header("Content-Type"));
        Assert.Equal("""{"status":"ok","served":"by the gateway"}""", status.BodyText);
        Assert.Equal(403, filtered.Status);
        Assert.Equal(204, preflight.Status);
        Assert.Equal(200, partner.Status);
        Assert.Contains("\"status\":\"shipped\"", partner.BodyText, StringComparison.Ordinal);
        Assert.Equal(401, stranger.Status);
        Assert.Equal(200, mine.Status);
        Assert.Contains("\"status\":\"shipped\"", mine.BodyText, StringComparison.Ordinal);
        Assert.Equal(401, anonymous.Status);
        Assert.Equal("Bearer", anonymous.Header("WWW-Authenticate"));
        Assert.Equal("http://localhost:3000", preflight.Header("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task TheBannersCacheRequestsAnswerAsItSays()
    {
        await using var services = await DemoServices.StartAsync(SilentLog);
        await using var gateway = await TestGateway.StartAsync(DemoConfig());

        var first = await gateway.SendAsync("GET /api/products/2 HTTP/1.1\r\nHost: localhost\r\n\r\n");
        var second = await gateway.SendAsync("GET /api/products/2 HTTP/1.1\r\nHost: localhost\r\n\r\n");
        var purge = await new AdminClient(gateway.AdminEndPoint).SendAsync("DELETE /cache?prefix=/api/products/ HTTP/1.1\r\nHost: admin\r\n\r\n");
        var third = await gateway.SendAsync("GET /api/products/2 HTTP/1.1\r\nHost: localhost\r\n\r\n");

        Assert.Equal((200, "MISS"), (first.Status, first.Header("X-Cache")));
        Assert.Equal(("HIT", first.BodyText), (second.Header("X-Cache"), second.BodyText));
        Assert.NotNull(second.Header("Age"));
        Assert.Equal("{\"purged\":1}", purge.BodyText);
        Assert.Equal("MISS", third.Header("X-Cache"));
    }

    [Fact]
    public async Task TheBannersWebSocketEchoAnswers()
    {
        await using var services = await DemoServices.StartAsync(SilentLog);
        await using var gateway = await TestGateway.StartAsync(DemoConfig());
        using var socket = await WebSockets.WebSocketClient.ConnectAsync(gateway.EndPoint, "/ws/echo");

        var answer = await WebSockets.WebSocketClient.EchoAsync(socket, "hello"u8.ToArray(), System.Net.WebSockets.WebSocketMessageType.Text);

        Assert.Equal("hello"u8.ToArray(), answer.Bytes);
    }

    [Fact]
    public async Task TheBannersResilienceRequestsAnswerAsItSays()
    {
        const string Flaky = "http://127.0.0.1:5106";
        const string Down = "http://127.0.0.1:5107";
        await using var services = await DemoServices.StartAsync(SilentLog);
        await using var gateway = await TestGateway.StartAsync(DemoConfig());
        var admin = new AdminClient(gateway.AdminEndPoint);
        await using var connection = await gateway.ConnectAsync();

        // "all 200": every try that met the flaky replica's 503 or the stopped destination went on to another one.
        var reads = new List<RawResponse>();
        for (var i = 0; i < 6; i++)
        {
            await connection.SendAsync("GET /inventory/7 HTTP/1.1\r\nHost: localhost\r\n\r\n");
            reads.Add(await connection.ReadResponseAsync());
        }

        Assert.All(reads, read => Assert.Equal(200, read.Status));
        Assert.All(reads, read => Assert.Contains("\"servedBy\":\"inventory-", read.BodyText, StringComparison.Ordinal));

        // GET /clusters: the stopped destination leaves the balancing (unhealthy by its health checks, or ejected by passive
        // checks when the requests met it first), and the flaky replica's failures are counted while it stays healthy.
        await Wait.UntilAsync(async () => await StateAsync(admin, Down) is "unhealthy" or "ejected" ? "out" : null, "the stopped destination to leave");
        var flaky = await admin.DestinationAsync("inventory", Flaky);
        Assert.Equal("healthy", flaky.GetProperty("state").GetString());
        Assert.True(flaky.GetProperty("failures").GetInt64() > 0, "the flaky replica's failures are counted");
        Assert.Equal("healthy", await StateAsync(admin, "http://127.0.0.1:5105"));

        // A POST with Idempotency-Key is retried (the route opts in): whichever replica it meets, it is created.
        var reservations = new List<RawResponse>();
        for (var i = 0; i < 4; i++)
        {
            await connection.SendAsync($"POST /inventory/7/reservations HTTP/1.1\r\nHost: localhost\r\nIdempotency-Key: r-{i}\r\n\r\n");
            reservations.Add(await connection.ReadResponseAsync());
        }

        Assert.All(reservations, reservation => Assert.Equal(201, reservation.Status));

        // Without the key a POST is sent once: balanced in turn over the two replicas left, one of four meets a 503.
        var once = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            await connection.SendAsync("POST /inventory/7/reservations HTTP/1.1\r\nHost: localhost\r\n\r\n");
            once.Add((await connection.ReadResponseAsync()).Status);
        }

        Assert.Contains(503, once);
        Assert.All(once, code => Assert.True(code is 201 or 503, $"status {code}"));

        // The retries the banner's metrics line shows.
        Assert.True(MetricsText.Value(await admin.MetricsAsync(), "gateway_upstream_retries_total{cluster=\"inventory\"}") > 0);
    }

    [Fact]
    public async Task TheBannersMobileRequestsAnswerAsItSays()
    {
        await using var services = await DemoServices.StartAsync(SilentLog);
        await using var gateway = await TestGateway.StartAsync(DemoConfig());
        var mobile = gateway.FrontendEndPoint(DemoBanner.Mobile);

        var profile = await gateway.SendAsync("GET /profile/1 HTTP/1.1\r\nHost: localhost\r\n\r\n", mobile);
        var webRoute = await gateway.SendAsync("GET /users/1 HTTP/1.1\r\nHost: localhost\r\n\r\n", mobile);
        var appConfig = await gateway.SendAsync("GET /app/config HTTP/1.1\r\nHost: localhost\r\n\r\n", mobile);
        var profileOnWeb = await gateway.SendAsync("GET /profile/1 HTTP/1.1\r\nHost: localhost\r\n\r\n");
        var dashboard = await gateway.SendAsync("GET /dashboard/1 HTTP/1.1\r\nHost: localhost\r\n\r\n", mobile);

        Assert.Equal(200, profile.Status);
        Assert.Contains("\"id\":1", profile.BodyText, StringComparison.Ordinal);
        Problem.AssertIs(404, webRoute);
        Assert.Equal(200, appConfig.Status);
        Assert.Equal("application/json", appConfig.Header("Content-Type"));
        Assert.Contains("\"minVersion\"", appConfig.BodyText, StringComparison.Ordinal);
        Problem.AssertIs(404, profileOnWeb);
        Assert.Equal(200, dashboard.Status);
        using (var body = System.Text.Json.JsonDocument.Parse(dashboard.Body))
        {
            Assert.Equal(1, body.RootElement.GetProperty("user").GetProperty("id").GetInt32());
            Assert.Equal("shipped", body.RootElement.GetProperty("order").GetProperty("status").GetString());

            // The stock part waits for the order's id; the flaky inventory replica may fail it, and then it is listed instead.
            Assert.True(body.RootElement.TryGetProperty("stock", out _) || dashboard.Header("X-Aggregate-Missing") == "stock", dashboard.BodyText);
        }

        var banner = DemoBanner.Text("http://localhost:8080", "http://127.0.0.1:8081", "http://127.0.0.1:9901");
        Assert.All(["http://127.0.0.1:8081/profile/1", "http://127.0.0.1:8081/users/1", "http://127.0.0.1:8081/app/config", "http://127.0.0.1:8081/dashboard/1"], url => Assert.Contains(url, banner, StringComparison.Ordinal));
    }

    /// <summary>The repository's gateway.json, its mobile frontend's listener moved to a free port (the demo binds 8081).</summary>
    private static ConfigSource DemoConfig()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "gateway.json");
        var config = ConfigLoader.LoadFile(path);
        config.Frontends[DemoBanner.Mobile].Listen = ["http://127.0.0.1:0"];
        return ConfigSource.Fixed(config, path);
    }

    private static async Task<string?> StateAsync(AdminClient admin, string url) =>
        (await admin.DestinationAsync("inventory", url)).GetProperty("state").GetString();
}
