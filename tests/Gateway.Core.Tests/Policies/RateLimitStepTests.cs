using System.Text;
using Gateway.Core.Configuration;
using Gateway.Core.Http;
using Gateway.Core.Pipeline;
using Gateway.Core.Policies;
using Gateway.Core.RateLimiting;
using Gateway.Core.Tests.Pipeline;
using Gateway.Core.Tests.RateLimiting;

namespace Gateway.Core.Tests.Policies;

/// <summary>A route's rate-limit step: every named policy must grant, and the RateLimit fields describe each one.</summary>
public sealed class RateLimitStepTests
{
    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public async Task AllowedRequestCarriesBothFieldsForEveryPolicy()
    {
        await using var perClient = Limit("per-client", """{ "permits": 5, "period": "1m" }""");
        await using var global = Limit("global", """{ "permits": 100, "period": "1s", "key": "Global" }""");
        var policy = new RateLimitStep([perClient, global], metrics: null);
        var context = Context("10.0.0.1");

        var outcome = await policy.OnRequestAsync(context);

        Assert.True(outcome.Continues);
        Assert.Equal(
            "RateLimit-Policy: \"per-client\";q=5;w=60, \"global\";q=100;w=1\r\nRateLimit: \"per-client\";r=4;t=12, \"global\";r=99;t=1\r\n",
            Encoding.ASCII.GetString(context.ResponseFields.Added.Lines));
    }

    [Fact]
    public async Task ExhaustedPolicyRefusesWith429AndRetryAfterAndStopsThere()
    {
        await using var perClient = Limit("per-client", """{ "permits": 2, "period": "1m" }""");
        await using var global = Limit("global", """{ "permits": 100, "period": "1m", "key": "Global" }""");
        var policy = new RateLimitStep([perClient, global], metrics: null);
        for (var i = 0; i < 2; i++)
        {
            Assert.True((await policy.OnRequestAsync(Context("10.0.0.1"))).Continues);
        }

        var context = Context("10.0.0.1");
        var outcome = await policy.OnRequestAsync(context);

        Assert.Equal(429, outcome.Status);
        Assert.Equal("30", Fields.Value(context.ResponseFields.Added, "Retry-After"));
        Assert.Contains("\"per-client\"", outcome.Detail, StringComparison.Ordinal);
        Assert.EndsWith("RateLimit: \"per-client\";r=0;t=60\r\nRetry-After: 30\r\n", Encoding.ASCII.GetString(context.ResponseFields.Added.Lines), StringComparison.Ordinal);
        Assert.True((await policy.OnRequestAsync(Context("10.0.0.2"))).Continues);
        // Three granted requests and this acquire took from "global"; the refused one never reached it.
        Assert.Equal(96, global.Acquire(Context("x")).Remaining);
    }

    [Fact]
    public async Task RouteScopeKeepsBudgetsApartAndSharedScopePoolsThem()
    {
        await using var perRoute = Limit("per-route", """{ "permits": 1, "period": "1h" }""");
        await using var shared = Limit("shared", """{ "permits": 1, "period": "1h", "scope": "Shared" }""");

        Assert.True(perRoute.Acquire(Context("10.0.0.1", "a")).Allowed);
        Assert.True(perRoute.Acquire(Context("10.0.0.1", "b")).Allowed);
        Assert.True(shared.Acquire(Context("10.0.0.1", "a")).Allowed);
        Assert.False(shared.Acquire(Context("10.0.0.1", "b")).Allowed);
    }

    [Fact]
    public async Task ADistributedPolicyAllocatesNothingWhileTheKeysBlockLasts()
    {
        var store = new FakeRateStore(_clock);
        await using var limit = Limit("per-client", """{ "permits": 1000000, "period": "1h", "distributed": true }""", store);
        var context = Context("10.1.2.3");
        for (var warmUp = 0; warmUp < 1_000; warmUp++)
        {
            await limit.AcquireAsync(context);
        }

        // Between two reservations of the key's next block, requests are answered from the block at once: the key is
        // looked up from the stack, not built as a string per request.
        var windowsWithoutReservation = 0;
        for (var window = 0; window < 100; window++)
        {
            var reservations = store.Reservations;
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 10; i++)
            {
                var pending = limit.AcquireAsync(context);
                Assert.True(pending.IsCompletedSuccessfully && (await pending).Allowed);
            }

            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (store.Reservations == reservations)
            {
                windowsWithoutReservation++;
                Assert.Equal(0, allocated);
            }
        }

        Assert.InRange(windowsWithoutReservation, 50, 100);
        Assert.Equal(1_000_000 - 2_001, (await limit.AcquireAsync(context)).Remaining);
    }

    private ConfiguredRateLimit Limit(string name, string json, IRedisRateStore? store = null)
    {
        var config = ConfigLoader.Parse($$"""
            { "routes": [ { "id": "r", "match": { "path": "/r" }, "cluster": "c" } ],
              "clusters": { "c": { "destinations": [ "http://127.0.0.1:5000" ] } },
              "rateLimits": { "{{name}}": {{json}} } }
            """, "test.json");
        return new ConfiguredRateLimit(name, config.RateLimits[name], _clock, store, logger: null);
    }

    private static RequestContext Context(string client, string route = "r") => TestContexts.For(client: client, routeId: route);
}
