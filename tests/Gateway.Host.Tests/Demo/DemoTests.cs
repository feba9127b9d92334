using Gateway.Core.Configuration;
using Gateway.Host.Demo;
using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Demo;

/// <summary>The demo as the banner shows it: its sample services behind the repository's gateway.json, answering the banner's requests.</summary>
public sealed class DemoTests
{
    [Fact]
    public async Task TheBannersRequestsAnswerAsItSays()
    {
        await using var services = await DemoServices.StartAsync();
        await using var gateway = await TestGateway.StartAsync(
            ConfigSource.From(Path.Combine(AppContext.BaseDirectory, "gateway.json"), upstream: null, _ => null, []));
        await using var connection = await gateway.ConnectAsync();

        await connection.SendAsync("GET /users/1 HTTP/1.1\r\nHost: localhost\r\n\r\n");
        var user = await connection.ReadResponseAsync();
        await connection.SendAsync("GET /orders/7 HTTP/1.1\r\nHost: localhost\r\n\r\n");
        var order = await connection.ReadResponseAsync();
        await connection.SendAsync("GET /v0/orders/7 HTTP/1.1\r\nHost: localhost\r\n\r\n");
        var moved = await connection.ReadResponseAsync();
        await connection.SendAsync("GET /status HTTP/1.1\r\nHost: localhost\r\n\r\n");
        var status = await connection.ReadResponseAsync();

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
    }
}
