using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.RateLimiting;

/// <summary>Routes with rate limits answer 429 past the budget, with the IETF RateLimit fields on every response.</summary>
public sealed class RateLimitTests
{
    [Fact]
    public async Task BudgetIsEnforcedPerClientWithRateLimitFieldsAndRetryAfter()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Config(upstream.Url, """{ "permits": 3, "period": "1h" }"""));

        var allowed = new List<RawResponse>();
        for (var i = 0; i < 3; i++)
        {
            allowed.Add(await gateway.SendAsync("GET /limited HTTP/1.1\r\nHost: a\r\n\r\n"));
        }

        var refused = await gateway.SendAsync("GET /limited HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.All(allowed, r => Assert.Equal(200, r.Status));
        Assert.All(allowed, r => Assert.Equal("\"per-client\";q=3;w=3600", r.Header("RateLimit-Policy")));
        Assert.Matches("^\"per-client\";r=2;t=[0-9]+$", allowed[0].Header("RateLimit"));
        Assert.Matches("^\"per-client\";r=0;t=[0-9]+$", allowed[2].Header("RateLimit"));
        Problem.AssertIs(429, refused);
        Assert.True(int.Parse(refused.Header("Retry-After")!, System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Equal("\"per-client\";q=3;w=3600", refused.Header("RateLimit-Policy"));
        Assert.Equal(3, upstream.Requests.Count);

        var unlimited = await gateway.SendAsync("GET /free HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.Equal(200, unlimited.Status);
        Assert.Null(unlimited.Header("RateLimit"));
    }

    [Fact]
    public async Task HeaderKeyGivesEachValueItsOwnBudget()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(
            Config(upstream.Url, """{ "permits": 1, "period": "1h", "key": "Header", "header": "X-Tenant" }"""));

        Assert.Equal(200, (await gateway.SendAsync("GET /limited HTTP/1.1\r\nHost: a\r\nX-Tenant: blue\r\n\r\n")).Status);
        Assert.Equal(200, (await gateway.SendAsync("GET /limited HTTP/1.1\r\nHost: a\r\nX-Tenant: green\r\n\r\n")).Status);
        Assert.Equal(429, (await gateway.SendAsync("GET /limited HTTP/1.1\r\nHost: a\r\nx-tenant: blue\r\n\r\n")).Status);
    }

    [Fact]
    public async Task PipelinedRequestsPastTheBudgetAreRefusedInOrderOnTheSameConnection()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Config(upstream.Url, """{ "permits": 2, "period": "1h" }"""));
        await using var connection = await gateway.ConnectAsync();

        await connection.SendAsync(string.Concat(Enumerable.Repeat("GET /limited HTTP/1.1\r\nHost: a\r\n\r\n", 3)));

        Assert.Equal(200, (await connection.ReadResponseAsync()).Status);
        Assert.Equal(200, (await connection.ReadResponseAsync()).Status);
        Assert.Equal(429, (await connection.ReadResponseAsync()).Status);
        await connection.SendAsync("GET /free HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.Equal(200, (await connection.ReadResponseAsync()).Status);
    }

    /// <summary>A limited route and a free one, the limited one using policy "per-client" as given.</summary>
    internal static Gateway.Core.Configuration.GatewayConfig Config(string upstream, string policy) => Configs.Parse($$"""
        {
          "routes": [
            { "id": "limited", "match": { "path": "/limited" }, "cluster": "c", "policies": { "rateLimit": [ "per-client" ] } },
            { "id": "free", "match": { "path": "/free" }, "cluster": "c" }
          ],
          "clusters": { "c": { "destinations": [ "{{upstream}}" ] } },
          "rateLimits": { "per-client": {{policy}} }
        }
        """);
}
