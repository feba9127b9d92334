using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Resilience;

/// <summary>
/// A route's time limits: a try whose response head is later than the per-try timeout is retried on another destination,
/// and the route's overall timeout ends the whole exchange, every try included, with a 504.
/// </summary>
public sealed class RetryTimeoutTests
{
    [Fact]
    public async Task ATryPastItsPerTryTimeoutIsRetriedOnAnotherDestination()
    {
        await using var slow = await SwitchableUpstream.StartAsync("slow");
        await using var fast = await SwitchableUpstream.StartAsync("fast");
        slow.Delay = TimeSpan.FromSeconds(30);
        // The per-try timeout holds the fast destination's try too: 1 s leaves it room on a loaded machine.
        await using var gateway = await TestGateway.StartAsync(Config(slow.Url, fast.Url, """ "retry": { "attempts": 2, "perTryTimeout": "1s" } """));

        var response = await gateway.SendAsync("GET /t HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.Equal(200, response.Status);
        Assert.Equal("fast", response.BodyText);
        Assert.Equal(1, slow.ArrivalsFor("/t"));
    }

    [Fact]
    public async Task TheRoutesTimeoutEndsTheWholeExchangeWithA504()
    {
        await using var one = await SwitchableUpstream.StartAsync("one");
        await using var two = await SwitchableUpstream.StartAsync("two");
        one.Delay = two.Delay = TimeSpan.FromSeconds(30);
        await using var gateway = await TestGateway.StartAsync(Config(one.Url, two.Url, """ "timeout": "500ms", "retry": { "attempts": 5, "perTryTimeout": "300ms" } """));
        await using var connection = await gateway.ConnectAsync();

        await connection.SendAsync("GET /t HTTP/1.1\r\nHost: a\r\n\r\n");
        var response = await connection.ReadResponseAsync();

        Assert.Equal(504, response.Status);
        Assert.False(response.ConnectionHas("close"));

        // 500 ms hold a first try (300 ms) and part of a second: the overall timeout stopped the retries.
        Assert.InRange(one.ArrivalsFor("/t") + two.ArrivalsFor("/t"), 1, 2);
    }

    private static Gateway.Core.Configuration.GatewayConfig Config(string first, string second, string route) => Configs.Parse($$"""
        {
          "routes": [ { "id": "all", "match": { "path": "/{*path}" }, "cluster": "c", {{route}} } ],
          "clusters": { "c": { "destinations": ["{{first}}", "{{second}}"], "loadBalancing": "First" } }
        }
        """);
}
