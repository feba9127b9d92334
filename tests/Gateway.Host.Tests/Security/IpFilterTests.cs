using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Security;

/// <summary>
/// IP filtering end to end: the gateway's filter and a route's, allow and deny, on the real client address: the socket
/// peer, or behind a trusted proxy the address X-Forwarded-For names; a refused client gets 403 and the upstream nothing.
/// </summary>
public sealed class IpFilterTests
{
    [Fact]
    public async Task ARouteAdmitsOnlyTheNetworksItAllows()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Config(upstream.Url, route: """{ "allow": ["127.0.0.0/8"] }""", other: """{ "allow": ["10.0.0.0/8"] }"""));

        var open = await gateway.SendAsync("GET /open HTTP/1.1\r\nHost: a\r\n\r\n");
        var closed = await gateway.SendAsync("GET /closed HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.Equal(200, open.Status);
        Assert.Equal(403, closed.Status);
        Assert.Contains("may not use this route", closed.BodyText, StringComparison.Ordinal);
        Assert.Equal("/open", Assert.Single(upstream.Requests).Target);
    }

    [Fact]
    public async Task BehindATrustedProxyTheForwardedClientIsFiltered()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(
            Config(upstream.Url, route: """{ "allow": ["198.51.100.0/24"], "deny": ["198.51.100.66"] }"""),
            s => s with { TrustedProxies = [System.Net.IPNetwork.Parse("127.0.0.0/8")] });

        var allowed = await gateway.SendAsync("GET /open HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 198.51.100.7\r\n\r\n");
        var denied = await gateway.SendAsync("GET /open HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 198.51.100.66\r\n\r\n");
        var outside = await gateway.SendAsync("GET /open HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 203.0.113.9\r\n\r\n");
        var spoofedLeft = await gateway.SendAsync("GET /open HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 198.51.100.7, 203.0.113.9\r\n\r\n");

        Assert.Equal([200, 403, 403, 403], new[] { allowed.Status, denied.Status, outside.Status, spoofedLeft.Status });
        Assert.Single(upstream.Requests);
    }

    [Fact]
    public async Task FromAnUntrustedPeerXForwardedForIsIgnored()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Config(upstream.Url, route: """{ "allow": ["198.51.100.0/24"] }"""));

        var response = await gateway.SendAsync("GET /open HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 198.51.100.7\r\n\r\n");

        Assert.Equal(403, response.Status);
        Assert.Empty(upstream.Requests);
    }

    [Fact]
    public async Task TheGatewaysFilterAppliesToEveryRouteBesideTheRoutesOwn()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Config(upstream.Url, route: """{ "allow": ["127.0.0.0/8"] }""", gatewayFilter: """{ "deny": ["127.0.0.1"] }"""));

        var open = await gateway.SendAsync("GET /open HTTP/1.1\r\nHost: a\r\n\r\n");
        var closed = await gateway.SendAsync("GET /closed HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.Equal(403, open.Status);
        Assert.Equal(403, closed.Status);
        Assert.Empty(upstream.Requests);
    }

    private static Gateway.Core.Configuration.GatewayConfig Config(string upstream, string route, string? other = null, string? gatewayFilter = null) => Configs.Parse($$"""
        {
          {{(gatewayFilter is null ? "" : $"\"ipFilter\": {gatewayFilter},")}}
          "routes": [
            { "id": "open", "match": { "path": "/open" }, "cluster": "c", "policies": { "ipFilter": {{route}} } },
            { "id": "closed", "match": { "path": "/closed" }, "cluster": "c"{{(other is null ? "" : $", \"policies\": {{ \"ipFilter\": {other} }}")}} }
          ],
          "clusters": { "c": { "destinations": ["{{upstream}}"] } }
        }
        """);
}
