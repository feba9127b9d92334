using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Forwarding;

/// <summary>The upstream learns who the client is from the gateway's own X-Forwarded-* and Via fields, never from what the client claims.</summary>
public sealed class ForwardedHeadersTests
{
    [Fact]
    public async Task ForwardingFieldsDescribeTheRealClient()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));

        var response = await gateway.SendAsync("GET /whoami HTTP/1.1\r\nHost: shop.test:8080\r\n\r\n");

        Assert.Equal(200, response.Status);
        var seen = Assert.Single(upstream.Requests);
        Assert.Equal("127.0.0.1", seen.Header("X-Forwarded-For"));
        Assert.Equal("http", seen.Header("X-Forwarded-Proto"));
        Assert.Equal("shop.test:8080", seen.Header("X-Forwarded-Host"));
        Assert.Equal("1.1 gateway", seen.Header("Via"));
        Assert.Equal("1.1 gateway", response.Header("Via"));
    }

    [Fact]
    public async Task ClientSuppliedForwardingFieldsAreReplacedNotTrusted()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));

        var response = await gateway.SendAsync(
            "GET /whoami HTTP/1.1\r\nHost: shop.test\r\nX-Forwarded-For: 203.0.113.9\r\nX-Forwarded-Host: evil.test\r\n"
            + "X-Forwarded-Proto: https\r\nForwarded: for=203.0.113.9;proto=https\r\nVia: 1.0 corp-proxy\r\nVia: 1.1 edge\r\n"
            + "X-Forwarded-Port: 443\r\nX-Forwarded-Prefix: /admin\r\n\r\n");

        Assert.Equal(200, response.Status);
        var seen = Assert.Single(upstream.Requests);
        Assert.Equal("127.0.0.1", seen.Header("X-Forwarded-For"));
        Assert.Equal("http", seen.Header("X-Forwarded-Proto"));
        Assert.Equal("shop.test", seen.Header("X-Forwarded-Host"));
        Assert.Null(seen.Header("Forwarded"));
        Assert.Null(seen.Header("X-Forwarded-Port"));
        Assert.Null(seen.Header("X-Forwarded-Prefix"));
        Assert.Equal("1.0 corp-proxy, 1.1 edge, 1.1 gateway", seen.Header("Via"));
        Assert.Contains("1.1 gateway", response.Header("Via"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FieldsFromATrustedProxyAreExtendedNotReplaced()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(
            Configs.CatchAll(upstream.Url),
            s => s with { TrustedProxies = [System.Net.IPNetwork.Parse("127.0.0.0/8")] });

        var response = await gateway.SendAsync(
            "GET /whoami HTTP/1.1\r\nHost: internal.test\r\nX-Forwarded-For: 203.0.113.9, 10.1.1.1\r\nX-Forwarded-Proto: https\r\n"
            + "X-Forwarded-Host: shop.example\r\nForwarded: for=203.0.113.9\r\nX-Forwarded-Port: 443\r\nX-Forwarded-Prefix: /shop\r\n\r\n");

        Assert.Equal(200, response.Status);
        var seen = Assert.Single(upstream.Requests);
        Assert.Equal("203.0.113.9, 10.1.1.1, 127.0.0.1", seen.Header("X-Forwarded-For"));
        Assert.Equal("https", seen.Header("X-Forwarded-Proto"));
        Assert.Equal("shop.example", seen.Header("X-Forwarded-Host"));
        Assert.Equal("443", seen.Header("X-Forwarded-Port"));
        Assert.Equal("/shop", seen.Header("X-Forwarded-Prefix"));
        Assert.Null(seen.Header("Forwarded"));
    }

    [Fact]
    public async Task APeerOutsideTheTrustedNetworksIsNotBelieved()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(
            Configs.CatchAll(upstream.Url),
            s => s with { TrustedProxies = [System.Net.IPNetwork.Parse("10.0.0.0/8")] });

        await gateway.SendAsync("GET /whoami HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 203.0.113.9\r\nX-Forwarded-Proto: https\r\n\r\n");

        var seen = Assert.Single(upstream.Requests);
        Assert.Equal("127.0.0.1", seen.Header("X-Forwarded-For"));
        Assert.Equal("http", seen.Header("X-Forwarded-Proto"));
    }
}
