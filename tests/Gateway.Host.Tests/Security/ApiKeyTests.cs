using System.Text.Json;
using Gateway.Core.Observability;
using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Security;

/// <summary>
/// API keys end to end: a stored key's consumer reaches the upstream in the route's identity fields and the access log, a
/// missing or wrong key is 401, a key in the query is neither forwarded nor logged, a client's own identity fields never
/// reach an upstream, and Consumer-keyed rate limits give each consumer its own budget.
/// </summary>
public sealed class ApiKeyTests
{
    private const string AcmeHash = "sha256:904fc520be4ca9db80d0ffcc6bf7e01b4148e33d45bb6b422ad2e607815fb508"; // "acme-key-1"
    private const string GlobexHash = "sha256:f352be8820f9937b9af5c2c47f4f48852cac39b31ff00864c7fff4dcfba873e1"; // "globex-key-2"

    [Fact]
    public async Task AStoredKeyNamesItsConsumerToTheUpstreamAndAWrongOneIs401()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Config(upstream.Url));

        var hit = await gateway.SendAsync("GET /orders HTTP/1.1\r\nHost: a\r\nX-Api-Key: acme-key-1\r\nX-Consumer: admin\r\n\r\n");
        var miss = await gateway.SendAsync("GET /orders HTTP/1.1\r\nHost: a\r\nX-Api-Key: acme-key-2\r\n\r\n");
        var none = await gateway.SendAsync("GET /orders HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.Equal(200, hit.Status);
        Assert.Equal("acme", Assert.Single(upstream.Requests).Header("X-Consumer"));
        Assert.Equal([401, 401], new[] { miss.Status, none.Status });
        Assert.Contains("an API key in the X-Api-Key header, or an API key in the api_key query parameter", miss.BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AKeyInTheQueryIsNeitherForwardedNorLogged()
    {
        using var log = new TempFile("gateway-e2e-access");
        await using var upstream = await RecordingUpstream.StartAsync();
        await using (var gateway = await TestGateway.StartAsync(
            Config(upstream.Url), s => s with { Observability = s.Observability with { AccessLog = new AccessLogSettings { Target = log.Path } } }))
        {
            Assert.Equal(200, (await gateway.SendAsync("GET /orders?page=2&api_key=globex-key-2 HTTP/1.1\r\nHost: a\r\n\r\n")).Status);
            Assert.Equal(401, (await gateway.SendAsync("GET /orders?api_key=wrong-key HTTP/1.1\r\nHost: a\r\n\r\n")).Status);
        }

        Assert.Equal("/orders?page=2", Assert.Single(upstream.Requests).Target);
        Assert.Equal("globex", upstream.Requests[0].Header("X-Consumer"));
        var lines = await File.ReadAllLinesAsync(log.Path);
        Assert.DoesNotContain(lines, line => line.Contains("key-2", StringComparison.Ordinal) || line.Contains("wrong-key", StringComparison.Ordinal));
        var entries = lines.Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal(["globex", null], entries.Select(entry => entry.TryGetProperty("consumer", out var consumer) ? consumer.GetString() : null));
    }

    [Fact]
    public async Task AKeyInTheQueryIsNotLoggedWhenAStepBeforeAuthenticationRefuses()
    {
        using var log = new TempFile("gateway-e2e-access");
        await using var upstream = await RecordingUpstream.StartAsync();
        await using (var gateway = await TestGateway.StartAsync(
            Config(upstream.Url), s => s with { Observability = s.Observability with { AccessLog = new AccessLogSettings { Target = log.Path } } }))
        {
            Assert.Equal(403, (await gateway.SendAsync("GET /fenced?api_key=globex-key-2&x=1 HTTP/1.1\r\nHost: a\r\n\r\n")).Status);
        }

        var line = Assert.Single(await File.ReadAllLinesAsync(log.Path));
        Assert.DoesNotContain("key-2", line, StringComparison.Ordinal);
        Assert.Contains("x=1", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoKeyFieldsAreRefused()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Config(upstream.Url));

        var response = await gateway.SendAsync("GET /orders HTTP/1.1\r\nHost: a\r\nX-Api-Key: acme-key-1\r\nX-Api-Key: forged\r\n\r\n");

        Assert.Equal(401, response.Status);
        Assert.Empty(upstream.Requests);
    }

    [Fact]
    public async Task AClientsOwnIdentityFieldNeverReachesAnUpstreamEvenThroughARouteWithoutAuthentication()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Config(upstream.Url));

        var response = await gateway.SendAsync("GET /public HTTP/1.1\r\nHost: a\r\nX-Consumer: acme\r\nx_consumer: acme\r\nX-Other: kept\r\n\r\n");

        Assert.Equal(200, response.Status);
        var seen = Assert.Single(upstream.Requests);
        Assert.Null(seen.Header("X-Consumer"));
        Assert.Null(seen.Header("x_consumer"));
        Assert.Equal("kept", seen.Header("X-Other"));
    }

    [Fact]
    public async Task EachConsumerHasItsOwnBudgetUnderAConsumerKeyedLimit()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Config(upstream.Url));

        var acme = new[]
        {
            await gateway.SendAsync("GET /limited HTTP/1.1\r\nHost: a\r\nX-Api-Key: acme-key-1\r\n\r\n"),
            await gateway.SendAsync("GET /limited HTTP/1.1\r\nHost: a\r\nX-Api-Key: acme-key-1\r\n\r\n"),
        };
        var globex = await gateway.SendAsync("GET /limited HTTP/1.1\r\nHost: a\r\nX-Api-Key: globex-key-2\r\n\r\n");
        var anonymous = await gateway.SendAsync("GET /limited HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.Equal([200, 429], acme.Select(response => response.Status));
        Assert.Equal(200, globex.Status);
        Assert.Equal(401, anonymous.Status);
    }

    private static Gateway.Core.Configuration.GatewayConfig Config(string upstream) => Configs.Parse($$"""
        {
          "authentication": {
            "partners": { "apiKey": { "header": "X-Api-Key", "keys": { "acme": "{{AcmeHash}}", "globex": "{{GlobexHash}}" } } },
            "links": { "apiKey": { "query": "api_key", "keys": { "acme": "{{AcmeHash}}", "globex": "{{GlobexHash}}" } } }
          },
          "rateLimits": { "one-each": { "permits": 1, "period": "1h", "key": "Consumer" } },
          "routes": [
            { "id": "orders", "match": { "path": "/orders" }, "cluster": "c",
              "policies": { "authentication": ["partners", "links"], "identityHeaders": { "X-Consumer": "consumer" } } },
            { "id": "limited", "match": { "path": "/limited" }, "cluster": "c",
              "policies": { "authentication": ["partners"], "rateLimit": ["one-each"] } },
            { "id": "public", "match": { "path": "/public" }, "cluster": "c" },
            { "id": "fenced", "match": { "path": "/fenced" }, "cluster": "c",
              "policies": { "ipFilter": { "deny": ["127.0.0.1"] }, "authentication": ["links"] } }
          ],
          "clusters": { "c": { "destinations": ["{{upstream}}"] } }
        }
        """);
}
