using System.Net;
using System.Net.Sockets;
using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.RateLimiting;

/// <summary>Start-up never waits on Redis: the gateway serves at once, distributed limits following their failure mode until Redis answers.</summary>
public sealed class RedisStartupTests
{
    [Fact]
    public async Task AGatewayWhoseRedisNeverAnswersServesAtOnceFollowingTheFailureMode()
    {
        // A port that takes connections and never says a word: the first connection attempt could only end at its timeout,
        // ten minutes, so the gateway answering at all shows that start-up did not wait for it.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        await using var upstream = await RecordingUpstream.StartAsync();
        var config = RateLimitTests.Config(upstream.Url, """{ "permits": 1000, "period": "1h", "distributed": true, "onRedisFailure": "FailClosed" }""");

        await using var gateway = await TestGateway.StartAsync(config, s => s with { Redis = $"{silent.LocalEndpoint},connectTimeout=600000" });

        Problem.AssertIs(503, await gateway.SendAsync("GET /limited HTTP/1.1\r\nHost: a\r\n\r\n"));
        Assert.Equal(200, (await gateway.SendAsync("GET /free HTTP/1.1\r\nHost: a\r\n\r\n")).Status);
        Assert.Equal("/free", Assert.Single(upstream.Requests).Target);
    }
}
