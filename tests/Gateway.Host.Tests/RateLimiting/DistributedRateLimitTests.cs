using Gateway.Core.Configuration;
using Gateway.Core.Tests.RateLimiting;
using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.RateLimiting;

/// <summary>Two gateways sharing one real Redis enforce one combined budget, and follow fail-open or fail-closed when Redis dies.</summary>
public sealed class DistributedRateLimitTests
{
    private const string Request = "GET /limited HTTP/1.1\r\nHost: a\r\n\r\n";

    [SkippableFact]
    public async Task TwoGatewaysShareOneBudget()
    {
        RedisEnvironment.Require();
        using var redis = await RedisServer.StartAsync();
        await using var upstream = await RecordingUpstream.StartAsync();
        var config = RateLimitTests.Config(upstream.Url, """{ "permits": 10, "period": "1h", "distributed": true }""");
        await using var first = await TestGateway.StartAsync(config, s => s with { Redis = redis.Endpoint });
        await using var second = await TestGateway.StartAsync(config, s => s with { Redis = redis.Endpoint });
        await first.AwaitRedisAsync();
        await second.AwaitRedisAsync();

        var statuses = await SendAlternatelyAsync(first, second, 15);

        Assert.Equal(10, statuses.Count(s => s == 200));
        Assert.Equal(5, statuses.Count(s => s == 429));
        Assert.Equal(10, upstream.Requests.Count);
    }

    [SkippableFact]
    public async Task TwoPoliciesKeyedAlikeKeepBucketsOfTheirOwn()
    {
        RedisEnvironment.Require();
        using var redis = await RedisServer.StartAsync();
        await using var upstream = await RecordingUpstream.StartAsync();
        var config = Configs.Parse($$"""
            {
              "routes": [ { "id": "limited", "match": { "path": "/limited" }, "cluster": "c", "policies": { "rateLimit": [ "strict", "loose" ] } } ],
              "clusters": { "c": { "destinations": [ "{{upstream.Url}}" ] } },
              "rateLimits": {
                "strict": { "permits": 5, "period": "1h", "distributed": true },
                "loose": { "permits": 100, "period": "1h", "distributed": true }
              }
            }
            """);
        await using var gateway = await TestGateway.StartAsync(config, s => s with { Redis = redis.Endpoint });
        await gateway.AwaitRedisAsync();

        var statuses = new List<int>();
        for (var i = 0; i < 7; i++)
        {
            statuses.Add((await gateway.SendAsync(Request)).Status);
        }

        // Sharing one bucket, each request would spend from it under both rules and "strict" would run out early.
        Assert.Equal([200, 200, 200, 200, 200, 429, 429], statuses);
    }

    [SkippableFact]
    public async Task TwoGatewaysCutOffFromRedisGrantTheBudgetBetweenThemNotEach()
    {
        RedisEnvironment.Require();
        using var redis = await RedisServer.StartAsync();
        await using var upstream = await RecordingUpstream.StartAsync();
        var config = RateLimitTests.Config(upstream.Url, """{ "permits": 10, "period": "1h", "distributed": true, "onRedisFailure": "FailOpen" }""");
        var settings = (GatewaySettings s) => s with { Redis = redis.Endpoint + ",connectTimeout=500,asyncTimeout=500" };
        await using var first = await TestGateway.StartAsync(config, settings);
        await using var second = await TestGateway.StartAsync(config, settings);

        // The first gateway learns of the second at its next heartbeat, a few seconds after it started.
        await AwaitInstancesAsync(first, 2);
        await AwaitInstancesAsync(second, 2);
        redis.Kill();

        // Each grants its half of the budget from local buckets: 5 + 5, where each granted all 10 before.
        var statuses = await SendAlternatelyAsync(first, second, 30);

        Assert.Equal(10, statuses.Count(s => s == 200));
        Assert.Equal(20, statuses.Count(s => s == 429));
        Assert.Equal(10, upstream.Requests.Count);
    }

    [SkippableTheory]
    [InlineData("FailOpen", 200)]
    [InlineData("FailClosed", 503)]
    public async Task RedisOutageFollowsThePolicyAndRecovers(string mode, int statusWhileDown)
    {
        RedisEnvironment.Require();
        using var redis = await RedisServer.StartAsync();
        await using var upstream = await RecordingUpstream.StartAsync();
        var config = RateLimitTests.Config(upstream.Url, $$"""{ "permits": 1000, "period": "1h", "distributed": true, "onRedisFailure": "{{mode}}" }""");
        await using var gateway = await TestGateway.StartAsync(config, s => s with { Redis = redis.Endpoint + ",connectTimeout=500,asyncTimeout=500" });
        await gateway.AwaitRedisAsync();
        Assert.Equal(200, (await gateway.SendAsync(Request)).Status);

        redis.Kill();
        var statuses = new List<int>();
        var whileDown = await Wait.UntilAsync(
            async () =>
            {
                var response = await gateway.SendAsync(Request);
                statuses.Add(response.Status);
                return response.Status == statusWhileDown && (statusWhileDown != 200 || await DegradedDecisionsAsync(gateway) > 0) ? response : null;
            },
            $"a {statusWhileDown} decided without Redis");
        Assert.All(statuses, s => Assert.True(s == 200 || s == statusWhileDown, $"unexpected {s} while Redis was down"));
        if (statusWhileDown == 503)
        {
            Problem.AssertIs(503, whileDown);
            Assert.NotNull(whileDown.Header("Retry-After"));
        }

        await redis.RestartAsync();
        await Wait.UntilAsync(async () => await gateway.SendAsync(Request) is { Status: 200 } ? "" : null, "service through Redis again");
        Assert.DoesNotContain(upstream.Requests, r => r.Target != "/limited");
    }

    /// <summary>Sends <paramref name="count"/> requests, one to each gateway in turn; returns their statuses.</summary>
    private static async Task<List<int>> SendAlternatelyAsync(TestGateway first, TestGateway second, int count)
    {
        var statuses = new List<int>();
        for (var i = 0; i < count; i++)
        {
            statuses.Add((await (i % 2 == 0 ? first : second).SendAsync(Request)).Status);
        }

        return statuses;
    }

    /// <summary>
    /// Waits until <paramref name="gateway"/> has reached Redis (its heartbeat was answered, so the instance gauge shows):
    /// start-up does not wait for Redis, and a request before then is decided by the policy's failure mode.
    /// </summary>
    /// <summary>Waits until <paramref name="gateway"/>'s metrics say it knows of <paramref name="instances"/> instances.</summary>
    private static async Task AwaitInstancesAsync(TestGateway gateway, int instances)
    {
        var admin = new AdminClient(gateway.AdminEndPoint);
        await Wait.UntilAsync(
            async () => MetricsText.Value(await admin.MetricsAsync(), "gateway_rate_limit_instances") == instances ? "" : null,
            $"gateway_rate_limit_instances {instances}");
    }

    private static async Task<double> DegradedDecisionsAsync(TestGateway gateway)
    {
        using var client = new HttpClient();
        var text = await client.GetStringAsync(new Uri($"http://{gateway.AdminEndPoint}/metrics"));
        const string Series = "gateway_rate_limit_degraded_decisions_total{policy=\"per-client\"} ";
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(Series, StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[Series.Length..], System.Globalization.CultureInfo.InvariantCulture);
    }
}
