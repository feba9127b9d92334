using Gateway.Core.Configuration;
using Gateway.Core.RateLimiting;
using Gateway.Core.Snapshots;
using Gateway.Core.Upstreams;

namespace Gateway.Core.Tests.Configuration;

/// <summary>Rate-limit policies and the routes that reference them are read and checked with exact JSON paths.</summary>
public sealed class RateLimitConfigTests
{
    [Fact]
    public void PolicyIsReadWithItsDefaults()
    {
        var config = ConfigLoader.Parse(Config("""{ "permits": 100, "period": "1m" }"""), "test.json");

        var policy = config.RateLimits["per-client"];
        Assert.Equal(100, policy.Permits);
        Assert.Equal("1m", policy.Period);
        Assert.Equal(RateLimitKeyKind.ClientIp, policy.Key);
        Assert.Equal(RateLimitScope.Route, policy.Scope);
        Assert.Equal(1, policy.Cost);
        Assert.False(policy.Distributed);
        Assert.Equal(RedisFailureMode.FailOpen, policy.OnRedisFailure);
        Assert.Equal(["per-client"], config.Routes[0].Policies!.RateLimit);
    }

    [Fact]
    public void EveryOptionIsRead()
    {
        var config = ConfigLoader.Parse(
            Config("""{ "permits": 10, "period": "1s", "burst": 20, "key": "Header", "header": "X-Tenant", "cost": 2, "scope": "Shared", "distributed": true, "onRedisFailure": "FailClosed" }"""),
            "test.json");

        var policy = config.RateLimits["per-client"];
        Assert.Equal((20L, RateLimitKeyKind.Header, "X-Tenant", 2, RateLimitScope.Shared, true, RedisFailureMode.FailClosed),
            (policy.Burst, policy.Key, policy.Header, policy.Cost, policy.Scope, policy.Distributed, policy.OnRedisFailure));
    }

    [Theory]
    [InlineData("""{ "permits": 0, "period": "1m" }""", "$.rateLimits.per-client.permits", "at least 1")]
    [InlineData("""{ "permits": 5, "period": "soon" }""", "$.rateLimits.per-client.period", "duration")]
    [InlineData("""{ "permits": 5, "period": "0s" }""", "$.rateLimits.per-client.period", "greater than zero")]
    [InlineData("""{ "permits": 5, "period": "1m", "burst": -1 }""", "$.rateLimits.per-client.burst", "negative")]
    [InlineData("""{ "permits": 5, "period": "1m", "cost": 6 }""", "$.rateLimits.per-client.cost", "between 1 and the bucket size (5)")]
    [InlineData("""{ "permits": 5, "period": "1m", "key": "Header" }""", "$.rateLimits.per-client.header", "needs \"header\"")]
    [InlineData("""{ "permits": 5, "period": "1m", "header": "X-A" }""", "$.rateLimits.per-client.header", "only applies")]
    [InlineData("""{ "permits": 5, "period": "1m", "claim": "sub" }""", "$.rateLimits.per-client.claim", "only applies")]
    [InlineData("""{ "permits": 5, "period": "1m", "key": "ApiKey" }""", "$.rateLimits.per-client.key", "")]
    public void InvalidPolicyIsReportedAtItsPath(string policy, string path, string reason) =>
        ConfigAssert.ParseFails(Config(policy), path, reason);

    [Fact]
    public void RouteNamingAnUnknownPolicyIsReported() =>
        ConfigAssert.ParseFails(
            Config("""{ "permits": 5, "period": "1m" }""").Replace("[ \"per-client\" ]", "[ \"per-client\", \"global\" ]", StringComparison.Ordinal),
            "$.routes[0].policies.rateLimit[1]",
            "unknown rate limit \"global\"; defined rate limits: \"per-client\"");

    [Fact]
    public void DistributedPolicyWithoutRedisIsReportedWhenCompiled()
    {
        var config = ConfigLoader.Parse(Config("""{ "permits": 5, "period": "1m", "distributed": true }"""), "test.json");

        ConfigAssert.Fails(
            () => SnapshotCompiler.Compile(config, new UpstreamSettings(), "test.json").Dispose(),
            "$.rateLimits.per-client.distributed",
            "GATEWAY_REDIS");
    }

    private static string Config(string policy) => $$"""
        {
          "routes": [ { "id": "r", "match": { "path": "/r" }, "cluster": "c", "policies": { "rateLimit": [ "per-client" ] } } ],
          "clusters": { "c": { "destinations": [ "http://127.0.0.1:5000" ] } },
          "rateLimits": { "per-client": {{policy}} }
        }
        """;
}
