using System.Text.Json;
using Gateway.Core.Configuration;
using Gateway.Core.Tests.RateLimiting;
using Gateway.Host.Tests.Infrastructure;
using StackExchange.Redis;

namespace Gateway.Host.Tests.Caching;

/// <summary>The response cache end to end, on a clock the tests move: freshness, Vary, what is never stored, coalescing, stale serving, revalidation, client conditionals and purges.</summary>
public sealed class ResponseCacheTests
{
    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public async Task AFreshEntryAnswersUntilItExpires()
    {
        await using var upstream = await CacheUpstream.StartAsync();
        upstream.Headers["X-Cache"] = "HIT from an upstream cache";
        await using var gateway = await StartAsync(upstream);

        var first = await GetAsync(gateway, "/products/1");
        _clock.Advance(TimeSpan.FromSeconds(30));
        var second = await GetAsync(gateway, "/products/1");
        _clock.Advance(TimeSpan.FromSeconds(31));
        upstream.Version = 2;
        var third = await GetAsync(gateway, "/products/1");

        Assert.Equal(("MISS", "product 1 v1"), (Assert.Single(first.Values("X-Cache")), first.BodyText));
        Assert.Equal(("HIT", "product 1 v1", "30"), (Assert.Single(second.Values("X-Cache")), second.BodyText, second.Header("Age")));
        Assert.Equal(("MISS", "product 1 v2"), (third.Header("X-Cache"), third.BodyText));
        Assert.Equal(2, upstream.Requests);
    }

    [Fact]
    public async Task EachVariantOfAVaryingResponseIsStoredApart()
    {
        await using var upstream = await CacheUpstream.StartAsync();
        upstream.Headers["Vary"] = "Accept-Language";
        await using var gateway = await StartAsync(upstream);

        var answers = new List<string>();
        foreach (var language in new[] { "en", "fr", "en", "fr" })
        {
            var response = await gateway.SendAsync($"GET /products/1 HTTP/1.1\r\nHost: a\r\nAccept-Language: {language}\r\n\r\n");
            answers.Add($"{response.Header("X-Cache")} {response.BodyText}");
        }

        Assert.Equal(["MISS product 1 v1 en", "MISS product 1 v1 fr", "HIT product 1 v1 en", "HIT product 1 v1 fr"], answers);
        Assert.Equal(2, upstream.Requests);
    }

    [Theory]
    [InlineData("Cache-Control", "no-store")]
    [InlineData("Cache-Control", "private, max-age=60")]
    [InlineData("Set-Cookie", "session=1")]
    [InlineData("Vary", "*")]
    public async Task ResponsesThatMustNotBeSharedAreNeverStored(string name, string value)
    {
        await using var upstream = await CacheUpstream.StartAsync();
        if (name == "Cache-Control")
        {
            upstream.CacheControl = value;
        }
        else
        {
            upstream.Headers[name] = value;
        }

        await using var gateway = await StartAsync(upstream);
        await GetAsync(gateway, "/products/1");
        var second = await GetAsync(gateway, "/products/1");

        Assert.Equal("MISS", second.Header("X-Cache"));
        Assert.Equal(2, upstream.Requests);
    }

    [Theory]
    [InlineData("max-age=60", false)]
    [InlineData("public, max-age=60", true)]
    [InlineData("s-maxage=60", true)]
    public async Task AResponseToAnAuthorizedRequestIsSharedOnlyWhenItSaysSo(string cacheControl, bool shared)
    {
        await using var upstream = await CacheUpstream.StartAsync();
        upstream.CacheControl = cacheControl;
        await using var gateway = await StartAsync(upstream);

        const string Request = "GET /products/1 HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer secret-of-alice\r\n\r\n";
        await gateway.SendAsync(Request);
        var anonymous = await GetAsync(gateway, "/products/1");

        Assert.Equal(shared ? "HIT" : "MISS", anonymous.Header("X-Cache"));
        Assert.Equal(shared ? 1 : 2, upstream.Requests);
    }

    [Fact]
    public async Task AHundredConcurrentMissesMakeOneUpstreamRequest()
    {
        await using var upstream = await CacheUpstream.StartAsync();
        upstream.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var gateway = await StartAsync(upstream);

        var requests = Enumerable.Range(0, 100).Select(_ => GetAsync(gateway, "/products/1")).ToList();
        await Wait.UntilAsync(() => upstream.Requests >= 1, "the first request to reach the upstream");
        upstream.Gate.SetResult();
        var responses = await Task.WhenAll(requests);

        Assert.All(responses, response => Assert.Equal((200, "product 1 v1"), (response.Status, response.BodyText)));
        Assert.Equal(1, upstream.Requests);
        Assert.Equal(99, responses.Count(response => response.Header("X-Cache") == "HIT"));
    }

    [Fact]
    public async Task WaitersGoUpstreamThemselvesWhenTheFetchStoredNothing()
    {
        await using var upstream = await CacheUpstream.StartAsync();
        upstream.CacheControl = "no-store";
        upstream.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var gateway = await StartAsync(upstream);

        var requests = Enumerable.Range(0, 5).Select(_ => GetAsync(gateway, "/products/1")).ToList();
        await Wait.UntilAsync(() => upstream.Requests >= 1, "the first request to reach the upstream");
        upstream.Gate.SetResult();
        var responses = await Task.WhenAll(requests);

        Assert.All(responses, response => Assert.Equal("MISS", response.Header("X-Cache")));
        Assert.Equal(5, upstream.Requests);
    }

    [Fact]
    public async Task AStaleEntryIsServedWhileOneBackgroundRequestRefreshesIt()
    {
        await using var upstream = await CacheUpstream.StartAsync();
        upstream.CacheControl = "max-age=10";
        await using var gateway = await StartAsync(upstream, """ "staleWhileRevalidate": "30s" """);

        await GetAsync(gateway, "/products/1");
        _clock.Advance(TimeSpan.FromSeconds(15));
        upstream.Version = 2;
        var stale = await GetAsync(gateway, "/products/1");
        await Wait.UntilAsync(() => upstream.Requests == 2, "the background refresh");
        var refreshed = await Wait.UntilAsync(
            async () => await GetAsync(gateway, "/products/1") is { BodyText: "product 1 v2" } response ? response : null, "the refreshed entry");

        Assert.Equal(("STALE", "product 1 v1", "15"), (stale.Header("X-Cache"), stale.BodyText, stale.Header("Age")));
        Assert.Equal("HIT", refreshed.Header("X-Cache"));
        Assert.Equal(2, upstream.Requests);
    }

    [Fact]
    public async Task TheBackgroundRefreshIsConditionalAndA304RenewsTheEntry()
    {
        await using var upstream = await CacheUpstream.StartAsync();
        upstream.CacheControl = "max-age=10";
        upstream.ETag = "\"v1\"";
        await using var gateway = await StartAsync(upstream, """ "staleWhileRevalidate": "30s" """);

        await gateway.SendAsync("GET /products/1 HTTP/1.1\r\nHost: a\r\nIf-None-Match: \"other\"\r\n\r\n");
        _clock.Advance(TimeSpan.FromSeconds(15));
        var stale = await gateway.SendAsync("GET /products/1 HTTP/1.1\r\nHost: a\r\nIf-None-Match: \"other\"\r\n\r\n");
        var renewed = await Wait.UntilAsync(async () => await GetAsync(gateway, "/products/1") is { } response && response.Header("X-Cache") == "HIT" ? response : null, "the renewed entry");

        Assert.Equal("STALE", stale.Header("X-Cache"));
        Assert.Equal(("product 1 v1", "0"), (renewed.BodyText, renewed.Header("Age")));
        Assert.Equal([null, "\"v1\""], upstream.Conditions);
    }

    [Fact]
    public async Task AStaleEntryStandsInForAFailingOrUnreachableUpstream()
    {
        var upstream = await CacheUpstream.StartAsync();
        upstream.CacheControl = "max-age=10";
        await using var gateway = await StartAsync(upstream, """ "staleIfError": "5m" """);

        await GetAsync(gateway, "/products/1");
        _clock.Advance(TimeSpan.FromSeconds(20));
        upstream.FailWith = 503;
        var failing = await GetAsync(gateway, "/products/1");
        await upstream.DisposeAsync();
        var unreachable = await GetAsync(gateway, "/products/1");
        _clock.Advance(TimeSpan.FromMinutes(6));
        var tooOld = await GetAsync(gateway, "/products/1");

        Assert.Equal((200, "STALE", "product 1 v1"), (failing.Status, failing.Header("X-Cache"), failing.BodyText));
        Assert.Equal((200, "STALE", "product 1 v1"), (unreachable.Status, unreachable.Header("X-Cache"), unreachable.BodyText));
        Assert.Equal(502, tooOld.Status);
    }

    [Fact]
    public async Task AnExpiredEntryIsRevalidatedWithItsETagAndA304RenewsIt()
    {
        await using var upstream = await CacheUpstream.StartAsync();
        upstream.ETag = "\"v1\"";
        await using var gateway = await StartAsync(upstream);

        await GetAsync(gateway, "/products/1");
        _clock.Advance(TimeSpan.FromSeconds(61));
        var revalidated = await GetAsync(gateway, "/products/1");
        var renewed = await GetAsync(gateway, "/products/1");

        Assert.Equal([null, "\"v1\""], upstream.Conditions);
        Assert.Equal((200, "HIT", "product 1 v1"), (revalidated.Status, revalidated.Header("X-Cache"), revalidated.BodyText));
        Assert.Equal(("HIT", "0"), (renewed.Header("X-Cache"), renewed.Header("Age")));
        Assert.Equal(2, upstream.Requests);
    }

    [Fact]
    public async Task AClientsConditionalRequestIsAnswered304FromAFreshEntry()
    {
        await using var upstream = await CacheUpstream.StartAsync();
        upstream.ETag = "\"v1\"";
        await using var gateway = await StartAsync(upstream);

        var first = await gateway.SendAsync("GET /products/1 HTTP/1.1\r\nHost: a\r\nIf-None-Match: \"v1\"\r\n\r\n");
        var second = await gateway.SendAsync("GET /products/1 HTTP/1.1\r\nHost: a\r\nIf-None-Match: W/\"v0\", \"v1\"\r\n\r\n");
        var other = await gateway.SendAsync("GET /products/1 HTTP/1.1\r\nHost: a\r\nIf-None-Match: \"v0\"\r\n\r\n");

        Assert.Equal(200, first.Status);
        Assert.Equal((304, "HIT", "\"v1\"", 0), (second.Status, second.Header("X-Cache"), second.Header("ETag"), second.Body.Length));
        Assert.Equal((200, "product 1 v1"), (other.Status, other.BodyText));
        Assert.Equal([null], upstream.Conditions);
    }

    [Fact]
    public async Task AClientsNoCacheDoesNotBypassTheSharedCacheUnlessTheCacheHonoursIt()
    {
        await using var upstream = await CacheUpstream.StartAsync();
        await using var gateway = await StartAsync(upstream);
        await using var honouring = await StartAsync(upstream, """ "honourClientNoCache": true """);
        const string Request = "GET /products/1 HTTP/1.1\r\nHost: a\r\nCache-Control: no-cache\r\n\r\n";

        await GetAsync(gateway, "/products/1");
        var ignored = await gateway.SendAsync(Request);
        await GetAsync(honouring, "/products/1");
        var honoured = await honouring.SendAsync(Request);

        Assert.Equal("HIT", ignored.Header("X-Cache"));
        Assert.Equal("MISS", honoured.Header("X-Cache"));
    }

    [Fact]
    public async Task RequestsTheCacheMustNotAnswerBypassIt()
    {
        await using var upstream = await CacheUpstream.StartAsync();
        await using var gateway = await StartAsync(upstream);

        await GetAsync(gateway, "/products/1");
        var post = await gateway.SendAsync("POST /products/1 HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\n{}");
        var noStore = await gateway.SendAsync("GET /products/1 HTTP/1.1\r\nHost: a\r\nCache-Control: no-store\r\n\r\n");
        var range = await gateway.SendAsync("GET /products/1 HTTP/1.1\r\nHost: a\r\nRange: bytes=0-3\r\n\r\n");

        Assert.Equal(["BYPASS", "BYPASS", "BYPASS"], new[] { post, noStore, range }.Select(response => response.Header("X-Cache")));
        Assert.Equal(4, upstream.Requests);
    }

    [Fact]
    public async Task PurgingByKeyAndByPrefixDropsEveryVariantOfThePaths()
    {
        await using var upstream = await CacheUpstream.StartAsync();
        await using var gateway = await StartAsync(upstream);
        var admin = new AdminClient(gateway.AdminEndPoint);
        string[] targets = ["/products/1", "/products/1?page=2", "/products/2", "/products/3"];
        foreach (var target in targets)
        {
            await GetAsync(gateway, target);
        }

        var byKey = await admin.SendAsync("DELETE /cache?key=/products/1 HTTP/1.1\r\nHost: admin\r\n\r\n");
        var afterKey = await Task.WhenAll(targets[..3].Select(target => GetAsync(gateway, target)));
        var byPrefix = await admin.SendAsync("DELETE /cache?prefix=/products/ HTTP/1.1\r\nHost: admin\r\n\r\n");
        var afterPrefix = await GetAsync(gateway, "/products/3");
        var refused = await admin.SendAsync("DELETE /cache HTTP/1.1\r\nHost: admin\r\n\r\n");

        Assert.Equal(2, JsonDocument.Parse(byKey.Body).RootElement.GetProperty("purged").GetInt32());
        Assert.Equal(["MISS", "MISS", "HIT"], afterKey.Select(response => response.Header("X-Cache")));
        Assert.Equal(4, JsonDocument.Parse(byPrefix.Body).RootElement.GetProperty("purged").GetInt32());
        Assert.Equal("MISS", afterPrefix.Header("X-Cache"));
        Assert.Equal(400, refused.Status);
    }

    [SkippableFact]
    public async Task TwoGatewaysShareEntriesAndPurgesThroughRedis()
    {
        RedisEnvironment.Require();
        using var redis = await RedisServer.StartAsync();
        await using var upstream = await CacheUpstream.StartAsync();
        var config = Config(upstream.Url, """ "shared": true """);
        await using var first = await TestGateway.StartAsync(config, s => s with { Redis = redis.Endpoint, Clock = _clock });
        await using var second = await TestGateway.StartAsync(config, s => s with { Redis = redis.Endpoint, Clock = _clock });
        using var inspector = await ConnectionMultiplexer.ConnectAsync(redis.Endpoint);
        await first.AwaitRedisAsync();
        await second.AwaitRedisAsync();

        await GetAsync(first, "/products/1");
        await Wait.UntilAsync(() => inspector.GetServers()[0].Keys(pattern: "gateway:cache:*").Any(), "the entry in Redis");
        var expiry = inspector.GetDatabase().KeyTimeToLive(inspector.GetServers()[0].Keys(pattern: "gateway:cache:*").Single());
        var shared = await GetAsync(second, "/products/1");
        var purge = await new AdminClient(first.AdminEndPoint).SendAsync("DELETE /cache?key=/products/1 HTTP/1.1\r\nHost: admin\r\n\r\n");
        var afterPurge = await Wait.UntilAsync(
            async () => await GetAsync(second, "/products/1") is { } response && response.Header("X-Cache") == "MISS" ? response : null, "the purge to reach the second gateway");

        Assert.Equal(("HIT", "product 1 v1"), (shared.Header("X-Cache"), shared.BodyText));
        Assert.InRange(expiry!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        Assert.Equal(200, purge.Status);
        Assert.Equal(1, JsonDocument.Parse(purge.Body).RootElement.GetProperty("purged").GetInt32()); // held here and in Redis: one entry
        Assert.Equal("MISS", afterPurge.Header("X-Cache"));
        Assert.Equal(2, upstream.Requests);
    }

    [SkippableFact]
    public async Task WithRedisGoneASharedCacheGoesOnInMemoryAndCountsTheFailures()
    {
        RedisEnvironment.Require();
        var redis = await RedisServer.StartAsync();
        await using var upstream = await CacheUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Config(upstream.Url, """ "shared": true """), s => s with { Redis = redis.Endpoint, Clock = _clock });
        await gateway.AwaitRedisAsync();
        redis.Dispose();

        var first = await GetAsync(gateway, "/products/1");
        var second = await GetAsync(gateway, "/products/1");
        var metrics = await new AdminClient(gateway.AdminEndPoint).MetricsAsync();

        Assert.Equal(("MISS", "HIT"), (first.Header("X-Cache"), second.Header("X-Cache")));
        Assert.Equal(1, upstream.Requests);
        Assert.True(MetricsText.Value(metrics, "gateway_cache_redis_errors_total{cache=\"catalogue\"}") >= 1, metrics);
        Assert.Equal(1, MetricsText.Value(metrics, "gateway_cache_requests_total{cache=\"catalogue\",result=\"hit\"}"));
    }

    /// <summary>A configuration with a <c>products</c> route cached by <c>catalogue</c> (its TTL 30s, plus <paramref name="cacheFields"/>).</summary>
    internal static GatewayConfig Config(string upstream, string cacheFields = "") => Configs.Parse($$"""
        {
          "routes": [ { "id": "products", "match": { "path": "/products/{id}" }, "cluster": "products", "policies": { "cache": "catalogue" } } ],
          "clusters": { "products": { "destinations": [ "{{upstream}}" ] } },
          "caches": { "catalogue": { "ttl": "30s", "maxBytes": "1MB" {{(cacheFields.Length > 0 ? "," + cacheFields : "")}} } }
        }
        """);

    private static Task<RawResponse> GetAsync(TestGateway gateway, string target) => gateway.SendAsync($"GET {target} HTTP/1.1\r\nHost: a\r\n\r\n");

    private Task<TestGateway> StartAsync(CacheUpstream upstream, string cacheFields = "") =>
        TestGateway.StartAsync(Config(upstream.Url, cacheFields), s => s with { Clock = _clock });
}
