using Gateway.Core.Configuration;
using Gateway.Core.Snapshots;
using Gateway.Core.Tests.Configuration;
using Gateway.Core.Upstreams;

namespace Gateway.Core.Tests.Caching;

/// <summary>Caches and the routes that use them are read and checked with exact JSON paths.</summary>
public sealed class CacheConfigTests
{
    [Fact]
    public void ACacheIsReadWithItsDefaults()
    {
        var config = ConfigLoader.Parse(Config("""{ "ttl": "30s" }"""), "test.json");

        var cache = config.Caches["catalogue"];
        Assert.Equal(("30s", "64MB", "1MB", "10s", false, false), (cache.Ttl, cache.MaxBytes, cache.MaxEntryBytes, cache.CoalesceWait, cache.Shared, cache.HonourClientNoCache));
        Assert.Equal("catalogue", config.Routes[0].Policies!.Cache);
    }

    [Theory]
    [InlineData("""{ "ttl": "0s" }""", "$.caches.catalogue.ttl", "greater than zero")]
    [InlineData("""{ "maxBytes": "lots" }""", "$.caches.catalogue.maxBytes", "64MB")]
    [InlineData("""{ "maxBytes": "1MB", "maxEntryBytes": "2MB" }""", "$.caches.catalogue.maxEntryBytes", "larger than maxBytes")]
    [InlineData("""{ "keyHeaders": [ "Accept Language" ] }""", "$.caches.catalogue.keyHeaders[0]", "header field name")]
    [InlineData("""{ "queryParameters": [] }""", "$.caches.catalogue.queryParameters", "at least one")]
    [InlineData("""{ "staleIfError": "soon" }""", "$.caches.catalogue.staleIfError", "duration")]
    public void BadSettingsAreRefusedAtTheirPath(string cache, string path, string reason) => ConfigAssert.ParseFails(Config(cache), path, reason);

    [Fact]
    public void ARouteNamingAnUnknownCacheIsRefused() =>
        ConfigAssert.ParseFails(Config("{}").Replace("\"cache\": \"catalogue\"", "\"cache\": \"nope\"", StringComparison.Ordinal), "$.routes[0].policies.cache", "unknown cache \"nope\"");

    [Fact]
    public void ASharedCacheNeedsRedis() => ConfigAssert.Fails(
        () => SnapshotCompiler.Compile(ConfigLoader.Parse(Config("""{ "shared": true }"""), "test.json"), new UpstreamSettings(), "test.json"),
        "$.caches.catalogue.shared",
        "GATEWAY_REDIS");

    [Theory]
    [InlineData("64MB", 64L << 20)]
    [InlineData("512 KB", 512L << 10)]
    [InlineData("1gb", 1L << 30)]
    [InlineData("1000", 1000L)]
    public void SizesAreReadInUnitsOf1024(string text, long bytes)
    {
        Assert.True(ByteSize.TryParse(text, out var parsed, out _));
        Assert.Equal(bytes, parsed);
    }

    private static string Config(string cache) => $$"""
        {
          "routes": [ { "id": "products", "match": { "path": "/products/{id}" }, "cluster": "c", "policies": { "cache": "catalogue" } } ],
          "clusters": { "c": { "destinations": [ "http://127.0.0.1:5001" ] } },
          "caches": { "catalogue": {{cache}} }
        }
        """;
}
