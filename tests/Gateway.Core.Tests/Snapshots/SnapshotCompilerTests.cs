using Gateway.Core.Configuration;
using Gateway.Core.Snapshots;
using Gateway.Core.Tests.Configuration;
using Gateway.Core.Upstreams;

namespace Gateway.Core.Tests.Snapshots;

/// <summary>Compiling a configuration: the errors only compiling finds, named by JSON path, and what a successor carries over from the running snapshot.</summary>
public sealed class SnapshotCompilerTests
{
    [Theory]
    [InlineData("""{ "id": "a", "match": { "path": "/a" }, "cluster": "c", "rewrite": { "stripPrefix": "/" } }""",
        "$.routes[0].rewrite.stripPrefix", "must start with '/', name at least one segment")]
    [InlineData("""{ "id": "a", "match": { "path": "/a/{id}" }, "respond": { "status": 308, "headers": { "Location": "/b/{nope}" } } }""",
        "$.routes[0].respond.headers.Location", "uses parameter \"nope\", which the route does not have (it has: id)")]
    [InlineData("""{ "id": "a", "match": { "path": "/a" }, "cluster": "c", "transforms": { "request": { "set": { "X-A": "{open" } } } }""",
        "$.routes[0].transforms.request.set.X-A", "has a '{' without its '}'")]
    [InlineData("""{ "id": "a", "match": { "path": "/a" }, "cluster": "c", "transforms": { "response": { "set": { "X-A": "caf\u00e9" } } } }""",
        "$.routes[0].transforms.response.set.X-A", "holds a character a header value cannot carry")]
    public void AnErrorOnlyCompilingFindsIsNamedByItsPath(string route, string path, string reason)
    {
        var config = ConfigLoader.Parse($$"""{ "routes": [ {{route}} ], "clusters": { "c": { "destinations": ["http://127.0.0.1:1"] } } }""", "test.json");

        ConfigAssert.Fails(() => SnapshotCompiler.Compile(config, new UpstreamSettings(), "test.json"), path, reason);
    }

    [Fact]
    public void ASuccessorKeepsWhatDidNotChangeAndTheRetiredOneClosesTheRest()
    {
        using var first = Compile("http://127.0.0.1:1", "http://127.0.0.1:2", permits: 5);
        var kept = first.Clusters["c"].Destinations[0];
        var dropped = first.Clusters["c"].Destinations[1];

        using var second = SnapshotCompiler.Compile(Config("http://127.0.0.1:1", "http://127.0.0.1:3", permits: 5), new UpstreamSettings(), "test.json", previous: first);
        using var third = SnapshotCompiler.Compile(Config("http://127.0.0.1:1", "http://127.0.0.1:3", permits: 6), new UpstreamSettings(), "test.json", previous: second);

        Assert.Same(kept, second.Clusters["c"].Destinations[0]);
        Assert.NotSame(dropped, second.Clusters["c"].Destinations[1]);
        Assert.Same(first.RateLimits["limit"], second.RateLimits["limit"]);
        Assert.NotSame(second.RateLimits["limit"], third.RateLimits["limit"]);
        Assert.Same(kept, third.Clusters["c"].Destinations[0]);
    }

    [Fact]
    public void ATlsFileThatCannotBeReadIsAConfigurationErrorAtTheClustersTls()
    {
        var config = ConfigLoader.Parse("""
            { "routes": [ { "id": "a", "match": { "path": "/a" }, "cluster": "c" } ],
              "clusters": { "c": { "destinations": ["https://127.0.0.1:1"], "tls": { "ca": "/nonexistent/ca.pem" } } } }
            """, "test.json");

        ConfigAssert.Fails(() => SnapshotCompiler.Compile(config, new UpstreamSettings(), "test.json"), "$.clusters.c.tls", "the TLS files could not be read");
    }

    [Fact]
    public void ADestinationKeepsItsHealthAcrossAReloadUnlessItsPoolSettingsChange()
    {
        using var first = SnapshotCompiler.Compile(Pooled("60s"), new UpstreamSettings(), "test.json");
        var destination = first.Clusters["c"].Destinations[0];
        first.Clusters["c"].Report(destination, failed: true);

        using var same = SnapshotCompiler.Compile(Pooled("60s"), new UpstreamSettings(), "test.json", previous: first);
        using var changed = SnapshotCompiler.Compile(Pooled("30s"), new UpstreamSettings(), "test.json", previous: same);

        Assert.Same(destination, same.Clusters["c"].Destinations[0]);
        Assert.Equal(1, same.Clusters["c"].Destinations[0].Health.Failures);
        Assert.NotSame(destination, changed.Clusters["c"].Destinations[0]);
        Assert.Equal(0, changed.Clusters["c"].Destinations[0].Health.Failures);
    }

    [Fact]
    public void AReloadThatTurnsPassiveChecksOffReadmitsTheDestinationsTheyEjected()
    {
        using var first = SnapshotCompiler.Compile(Passive(consecutiveFailures: 1), new UpstreamSettings(), "test.json");
        var destination = first.Clusters["c"].Destinations[0];
        first.Clusters["c"].Report(destination, failed: true);
        Assert.Equal(DestinationState.Ejected, destination.Health.State);

        using var second = SnapshotCompiler.Compile(Passive(consecutiveFailures: 0), new UpstreamSettings(), "test.json", previous: first);
        first.RetireFor(second);

        Assert.Same(destination, second.Clusters["c"].Destinations[0]);
        Assert.Equal(DestinationState.Healthy, destination.Health.State);
        Assert.Contains(destination, second.Clusters["c"].Available.Members);
    }

    [Fact]
    public void TriesReportedToARetiredClusterEjectNothing()
    {
        using var first = SnapshotCompiler.Compile(Passive(consecutiveFailures: 1), new UpstreamSettings(), "test.json");
        using var second = SnapshotCompiler.Compile(Passive(consecutiveFailures: 0), new UpstreamSettings(), "test.json", previous: first);
        first.RetireFor(second);
        var destination = second.Clusters["c"].Destinations[0];

        first.Clusters["c"].Report(destination, failed: true);

        Assert.Equal(DestinationState.Healthy, destination.Health.State);
    }

    [Fact]
    public void AReloadKeepsAJwtEntryOnlyWhileItsKeyFilesStayTheSame()
    {
        var folder = Directory.CreateTempSubdirectory("gateway-keys-").FullName;
        var key = Path.Combine(folder, "idp.pem");
        var source = Path.Combine(folder, "gateway.json");
        using (var rsa = System.Security.Cryptography.RSA.Create(2048))
        {
            File.WriteAllText(key, rsa.ExportSubjectPublicKeyInfoPem());
        }

        var config = ConfigLoader.Parse("""
            { "authentication": { "users": { "jwt": { "issuer": "https://id/", "audiences": ["api"], "keys": ["idp.pem"], "algorithms": ["RS256"] } } },
              "routes": [ { "id": "a", "match": { "path": "/a" }, "respond": { "status": 204 }, "policies": { "authentication": ["users"] } } ] }
            """, source);
        using var first = SnapshotCompiler.Compile(config, new UpstreamSettings(), source);
        using var same = SnapshotCompiler.Compile(config, new UpstreamSettings(), source, previous: first);
        using (var rsa = System.Security.Cryptography.RSA.Create(2048))
        {
            File.WriteAllText(key, rsa.ExportSubjectPublicKeyInfoPem());
        }

        using var replaced = SnapshotCompiler.Compile(config, new UpstreamSettings(), source, previous: same);

        Assert.Same(first.Authentication["users"], same.Authentication["users"]);
        Assert.NotSame(same.Authentication["users"], replaced.Authentication["users"]);
        Directory.Delete(folder, recursive: true);
    }

    private static GatewayConfig Passive(int consecutiveFailures) => ConfigLoader.Parse($$"""
        { "routes": [ { "id": "a", "match": { "path": "/a" }, "cluster": "c" } ],
          "clusters": { "c": { "destinations": ["http://127.0.0.1:1", "http://127.0.0.1:2"],
                               "health": { "passive": { "consecutiveFailures": {{consecutiveFailures}}, "maxEjectedPercent": 50 } } } } }
        """, "test.json");

    private static GatewayConfig Pooled(string idleTimeout) => ConfigLoader.Parse($$"""
        { "routes": [ { "id": "a", "match": { "path": "/a" }, "cluster": "c" } ],
          "clusters": { "c": { "destinations": ["http://127.0.0.1:1"], "connections": { "idleTimeout": "{{idleTimeout}}" } } } }
        """, "test.json");

    private static GatewaySnapshot Compile(string one, string two, int permits) =>
        SnapshotCompiler.Compile(Config(one, two, permits), new UpstreamSettings(), "test.json");

    private static GatewayConfig Config(string one, string two, int permits) => ConfigLoader.Parse($$"""
        {
          "routes": [ { "id": "a", "match": { "path": "/a" }, "cluster": "c", "policies": { "rateLimit": ["limit"] } } ],
          "clusters": { "c": { "destinations": ["{{one}}", "{{two}}"] } },
          "rateLimits": { "limit": { "permits": {{permits}}, "period": "1m" } }
        }
        """, "test.json");
}
