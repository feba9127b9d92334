using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Errors;

/// <summary>Requests no route accepts get a problem response: 404 when nothing matches the path, 405 with Allow when only the method is wrong.</summary>
public sealed class RoutingErrorTests
{
    [Fact]
    public async Task UnknownPathIs404AndTheConnectionStaysUsable()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await StartAsync(upstream);
        await using var connection = await gateway.ConnectAsync();

        await connection.SendAsync("GET /nothing/here HTTP/1.1\r\nHost: a\r\n\r\n");
        var response = await connection.ReadResponseAsync();
        await connection.SendAsync("GET /users/7 HTTP/1.1\r\nHost: a\r\n\r\n");
        var next = await connection.ReadResponseAsync();

        Problem.AssertIs(404, response);
        Assert.Equal(200, next.Status);
        Assert.Equal("/users/7", Assert.Single(upstream.Requests).Target);
    }

    [Fact]
    public async Task Http10KeepAliveClientIsToldItsConnectionStaysOpenAfterA404()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await StartAsync(upstream);
        await using var connection = await gateway.ConnectAsync();

        await connection.SendAsync("GET /nothing/here HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        var response = await connection.ReadResponseAsync();
        await connection.SendAsync("GET /users/7 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        var next = await connection.ReadResponseAsync();

        Problem.AssertIs(404, response);
        Assert.True(response.ConnectionHas("keep-alive"));
        Assert.Equal(200, next.Status);
    }

    [Fact]
    public async Task WrongMethodIs405WithAllowListingTheMethods()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await StartAsync(upstream);

        var response = await gateway.SendAsync("DELETE /users/7 HTTP/1.1\r\nHost: a\r\n\r\n");

        Problem.AssertIs(405, response);
        var allowed = response.Header("Allow")!.Split(',', StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal);
        Assert.Equal(["GET", "PUT"], allowed);
        Assert.Equal(0, upstream.Arrivals);
    }

    [Fact]
    public async Task APreflightToARouteWithoutCorsIsMatchedAsTheOptionsItIs()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await StartAsync(upstream);

        var preflight = await gateway.SendAsync(
            "OPTIONS /users/7 HTTP/1.1\r\nHost: a\r\nOrigin: https://app.example\r\nAccess-Control-Request-Method: PUT\r\n\r\n");

        // Naming a method the route accepts does not open the route to OPTIONS: only a route's CORS step answers preflights.
        Problem.AssertIs(405, preflight);
        Assert.Equal(0, upstream.Arrivals);
    }

    [Fact]
    public async Task NotFoundWithAnUnreadBodyClosesTheConnection()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await StartAsync(upstream);
        await using var connection = await gateway.ConnectAsync();

        await connection.SendAsync("POST /nothing HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nGET ");
        var response = await connection.ReadResponseAsync();

        Problem.AssertIs(404, response);
        Assert.True(response.ConnectionHas("close"));
        Assert.True(await connection.WaitForCloseAsync(), "the gateway should close rather than read the unread body as a request");
    }

    private static Task<TestGateway> StartAsync(RecordingUpstream upstream) => TestGateway.StartAsync(Configs.Parse($$"""
        {
          "routes": [ { "id": "user", "match": { "path": "/users/{id}", "methods": ["GET", "PUT"] }, "cluster": "users" } ],
          "clusters": { "users": { "destinations": [ "{{upstream.Url}}" ] } }
        }
        """));
}
