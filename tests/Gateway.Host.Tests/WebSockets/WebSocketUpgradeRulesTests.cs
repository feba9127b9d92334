using System.Net.WebSockets;
using System.Text;
using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.WebSockets;

/// <summary>
/// When an upgrade goes through and when it does not: the handshake passes the route's authentication first, a route with
/// <c>"upgrade": false</c> and any Upgrade other than websocket (h2c) reach the upstream as plain requests, and an upstream
/// that declines the upgrade leaves the client connection speaking HTTP.
/// </summary>
public sealed class WebSocketUpgradeRulesTests
{
    [Fact]
    public async Task TheHandshakeNeedsAValidTokenOnARouteWithAuthentication()
    {
        await using var provider = await IdentityProvider.StartAsync();
        await using var upstream = await WebSocketUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.Parse($$"""
            {
              "authentication": { "users": { "jwt": { "issuer": "{{IdentityProvider.Issuer}}", "audiences": ["{{IdentityProvider.Audience}}"],
                                                      "jwksUrl": "{{provider.JwksUrl}}", "algorithms": ["RS256"] } } },
              "routes": [ { "id": "ws", "match": { "path": "/echo" }, "cluster": "c", "policies": { "authentication": ["users"] } } ],
              "clusters": { "c": { "destinations": ["{{upstream.Url}}"] } }
            }
            """));

        var refused = await Assert.ThrowsAsync<WebSocketException>(() => WebSocketClient.ConnectAsync(gateway.EndPoint, "/echo"));
        var forged = await Assert.ThrowsAsync<WebSocketException>(() => WebSocketClient.ConnectAsync(gateway.EndPoint, "/echo", "not.a.token"));
        using var admitted = await WebSocketClient.ConnectAsync(gateway.EndPoint, "/echo", IdentityProvider.Mint(provider.Rsa, "RS256", subject: "alice"));
        var answer = await WebSocketClient.EchoAsync(admitted, Encoding.UTF8.GetBytes("signed in"), WebSocketMessageType.Text);

        Assert.Contains("401", refused.Message, StringComparison.Ordinal);
        Assert.Contains("401", forged.Message, StringComparison.Ordinal);
        Assert.Equal("signed in", Encoding.UTF8.GetString(answer.Bytes));
        Assert.Single(upstream.Requests);
    }

    [Fact]
    public async Task AHandshakeOnACachedRouteIsNeverAnsweredFromTheCache()
    {
        await using var upstream = await WebSocketUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.Parse($$"""
            {
              "routes": [ { "id": "ws", "match": { "path": "/echo" }, "cluster": "c", "policies": { "cache": "everything" } } ],
              "clusters": { "c": { "destinations": ["{{upstream.Url}}"] } },
              "caches": { "everything": { "ttl": "1h" } }
            }
            """));

        await gateway.SendAsync("GET /echo HTTP/1.1\r\nHost: a\r\n\r\n");
        var stored = await gateway.SendAsync("GET /echo HTTP/1.1\r\nHost: a\r\n\r\n");
        using var socket = await WebSocketClient.ConnectAsync(gateway.EndPoint, "/echo");
        var answer = await WebSocketClient.EchoAsync(socket, Encoding.UTF8.GetBytes("still a tunnel"), WebSocketMessageType.Text);

        Assert.Equal(("plain", "HIT"), (stored.BodyText, stored.Header("X-Cache")));
        Assert.Equal("still a tunnel", Encoding.UTF8.GetString(answer.Bytes));
        Assert.Equal([null, "websocket"], upstream.Requests.Select(request => request.Upgrade));
    }

    [Fact]
    public async Task ARouteWithUpgradeFalseForwardsAPlainRequestAndRelaysTheAnswer()
    {
        await using var upstream = await WebSocketUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.Parse($$"""
            {
              "routes": [ { "id": "ws", "match": { "path": "/{*rest}" }, "cluster": "c", "upgrade": false } ],
              "clusters": { "c": { "destinations": ["{{upstream.Url}}"] } }
            }
            """));

        var (declined, next) = await HandshakeThenNextAsync(gateway, "/echo");

        Assert.Equal((200, "plain"), (declined.Status, declined.BodyText));
        Assert.Null(declined.Header("Upgrade"));
        Assert.Equal((200, "plain"), (next.Status, next.BodyText));
        Assert.All(upstream.Requests, request => Assert.Null(request.Upgrade));
        Assert.All(upstream.Requests, request => Assert.DoesNotContain("upgrade", request.Connection ?? "", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task AnUpgradeToH2cIsNeverForwarded()
    {
        await using var upstream = await WebSocketUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));
        await using var connection = await gateway.ConnectAsync();

        await connection.SendAsync("GET /h2c HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n");
        var h2c = await connection.ReadResponseAsync();
        await connection.SendAsync("GET /mixed HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket, h2c\r\nSec-WebSocket-Version: 13\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
        var mixed = await connection.ReadResponseAsync();

        Assert.Equal((200, "plain"), (h2c.Status, h2c.BodyText));
        Assert.Equal((200, "plain"), (mixed.Status, mixed.BodyText));
        Assert.Equal(["/h2c", "/mixed"], upstream.Requests.Select(request => request.Path));
        Assert.All(upstream.Requests, request => Assert.Null(request.Upgrade));
    }

    [Theory]
    [InlineData("/plain", 200)]
    [InlineData("/missing", 404)]
    public async Task AnUpstreamThatDeclinesTheUpgradeLeavesTheConnectionSpeakingHttp(string path, int status)
    {
        await using var upstream = await WebSocketUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));

        var (declined, next) = await HandshakeThenNextAsync(gateway, path);

        Assert.Equal(status, declined.Status);
        Assert.False(declined.ConnectionHas("close"));
        Assert.Null(declined.Header("Upgrade"));
        Assert.Equal((200, "plain"), (next.Status, next.BodyText));
        Assert.Equal("websocket", upstream.Requests[0].Upgrade);
        Assert.Contains("upgrade", upstream.Requests[0].Connection ?? "", StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A101ToARequestThatAskedForNoUpgradeIs502()
    {
        await using var upstream = WireUpstream.Start("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n");
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));

        var response = await gateway.SendAsync("GET / HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.Equal(502, response.Status);
    }

    [Fact]
    public async Task A101WithoutUpgradeWebsocketIs502()
    {
        await using var upstream = WireUpstream.Start("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n");
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));

        var response = await gateway.SendAsync(Handshake("/"));

        Assert.Equal(502, response.Status);
        Assert.Null(response.Header("Upgrade"));
    }

    /// <summary>Sends a handshake for <paramref name="path"/> and, on the same connection, a plain GET; the two answers.</summary>
    private static async Task<(RawResponse Handshake, RawResponse Next)> HandshakeThenNextAsync(TestGateway gateway, string path)
    {
        await using var connection = await gateway.ConnectAsync();
        await connection.SendAsync(Handshake(path));
        var handshake = await connection.ReadResponseAsync();
        await connection.SendAsync("GET /next HTTP/1.1\r\nHost: a\r\n\r\n");
        return (handshake, await connection.ReadResponseAsync());
    }

    /// <summary>A WebSocket opening handshake for <paramref name="path"/>, as a browser sends it.</summary>
    private static string Handshake(string path) =>
        $"GET {path} HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
}
