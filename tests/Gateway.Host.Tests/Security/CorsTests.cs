using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Security;

/// <summary>
/// CORS end to end: the gateway answers preflights itself, grants allowed origins on every response of the route (a 429
/// included) with Vary: Origin, gives a disallowed origin no CORS fields, and drops the upstream's own CORS fields.
/// </summary>
public sealed class CorsTests
{
    private const string Policy = """
        { "origins": ["https://app.example.com", "https://*.shop.example"], "methods": ["GET", "POST"], "headers": ["Authorization", "Content-Type"],
          "exposeHeaders": ["RateLimit", "X-Order-Id"], "credentials": true, "maxAge": "10m" }
        """;

    [Fact]
    public async Task APreflightFromAnAllowedOriginIsAnsweredByTheGateway()
    {
        await using var upstream = WireUpstream.Start(Upstream);
        await using var gateway = await TestGateway.StartAsync(Config(upstream.Url));

        var response = await gateway.SendAsync(
            "OPTIONS /orders HTTP/1.1\r\nHost: a\r\nOrigin: https://app.example.com\r\nAccess-Control-Request-Method: POST\r\n"
            + "Access-Control-Request-Headers: content-type, authorization\r\n\r\n");

        Assert.Equal(204, response.Status);
        Assert.Equal("https://app.example.com", response.Header("Access-Control-Allow-Origin"));
        Assert.Equal("GET, POST", response.Header("Access-Control-Allow-Methods"));
        Assert.Equal("Authorization, Content-Type", response.Header("Access-Control-Allow-Headers"));
        Assert.Equal("600", response.Header("Access-Control-Max-Age"));
        Assert.Equal("true", response.Header("Access-Control-Allow-Credentials"));
        Assert.Equal("Origin", response.Header("Vary"));
        Assert.Null(response.Header("Access-Control-Expose-Headers"));
        Assert.Empty(upstream.Requests);
    }

    [Theory]
    [InlineData("https://evil.example", "POST", "")]
    [InlineData("https://shop.example", "POST", "")]
    [InlineData("https://app.example.com", "PUT", "")]
    [InlineData("https://app.example.com", "POST", "X-Secret")]
    public async Task APreflightAskingForWhatThePolicyDoesNotAllowIsRefusedWithoutCorsFields(string origin, string method, string headers)
    {
        await using var upstream = WireUpstream.Start(Upstream);
        await using var gateway = await TestGateway.StartAsync(Config(upstream.Url));

        var response = await gateway.SendAsync(
            $"OPTIONS /orders HTTP/1.1\r\nHost: a\r\nOrigin: {origin}\r\nAccess-Control-Request-Method: {method}\r\n"
            + (headers.Length > 0 ? $"Access-Control-Request-Headers: {headers}\r\n" : "") + "\r\n");

        Assert.Equal(403, response.Status);
        Assert.Equal("application/problem+json", response.Header("Content-Type"));
        Assert.DoesNotContain(response.Headers, field => field.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
        Assert.Empty(upstream.Requests);
    }

    [Fact]
    public async Task AnAllowedOriginIsGrantedOnTheResponseAndTheUpstreamsOwnCorsFieldsAreDropped()
    {
        await using var upstream = WireUpstream.Start(Upstream);
        await using var gateway = await TestGateway.StartAsync(Config(upstream.Url));

        var response = await gateway.SendAsync("GET /orders HTTP/1.1\r\nHost: a\r\nOrigin: https://eu.shop.example\r\n\r\n");

        Assert.Equal(200, response.Status);
        Assert.Equal(["https://eu.shop.example"], response.Values("Access-Control-Allow-Origin"));
        Assert.Equal("true", response.Header("Access-Control-Allow-Credentials"));
        Assert.Equal("RateLimit, X-Order-Id", response.Header("Access-Control-Expose-Headers"));
        Assert.Null(response.Header("Access-Control-Allow-Methods"));
        Assert.Contains("Origin", response.Values("Vary"));
        Assert.Contains("Accept-Encoding", response.Values("Vary"));
    }

    [Fact]
    public async Task ADisallowedOriginGetsTheResponseWithoutCorsFields()
    {
        await using var upstream = WireUpstream.Start(Upstream);
        await using var gateway = await TestGateway.StartAsync(Config(upstream.Url));

        var response = await gateway.SendAsync("GET /orders HTTP/1.1\r\nHost: a\r\nOrigin: https://shop.example.evil\r\n\r\n");

        Assert.Equal(200, response.Status);
        Assert.DoesNotContain(response.Headers, field => field.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("Origin", response.Values("Vary"));
    }

    [Fact]
    public async Task ARefusalByALaterStepStillCarriesTheCorsFields()
    {
        await using var upstream = WireUpstream.Start(Upstream);
        await using var gateway = await TestGateway.StartAsync(Config(upstream.Url, rateLimited: true));

        await gateway.SendAsync("GET /orders HTTP/1.1\r\nHost: a\r\nOrigin: https://app.example.com\r\n\r\n");
        var limited = await gateway.SendAsync("GET /orders HTTP/1.1\r\nHost: a\r\nOrigin: https://app.example.com\r\n\r\n");

        Assert.Equal(429, limited.Status);
        Assert.Equal("https://app.example.com", limited.Header("Access-Control-Allow-Origin"));
        Assert.Equal("RateLimit, X-Order-Id", limited.Header("Access-Control-Expose-Headers"));
    }

    [Fact]
    public async Task APreflightTakesNoRateLimitPermitAndReachesARouteOnlyForTheMethodItAsksAbout()
    {
        await using var upstream = WireUpstream.Start(Upstream);
        await using var gateway = await TestGateway.StartAsync(Config(upstream.Url, rateLimited: true));

        var preflight = await gateway.SendAsync("OPTIONS /orders HTTP/1.1\r\nHost: a\r\nOrigin: https://app.example.com\r\nAccess-Control-Request-Method: POST\r\n\r\n");
        var actual = await gateway.SendAsync("POST /orders HTTP/1.1\r\nHost: a\r\nOrigin: https://app.example.com\r\nContent-Length: 0\r\n\r\n");
        var otherRoute = await gateway.SendAsync("OPTIONS /plain HTTP/1.1\r\nHost: a\r\nOrigin: https://app.example.com\r\nAccess-Control-Request-Method: GET\r\n\r\n");

        Assert.Equal(204, preflight.Status);
        Assert.Equal(200, actual.Status);
        Assert.Equal(405, otherRoute.Status);
        Assert.Null(otherRoute.Header("Access-Control-Allow-Origin"));
    }

    private const string Upstream = "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\nVary: Accept-Encoding\r\nContent-Length: 2\r\n\r\nok";

    private static Gateway.Core.Configuration.GatewayConfig Config(string upstream, bool rateLimited = false) => Configs.Parse($$"""
        {
          "cors": { "web": {{Policy}} },
          "rateLimits": { "one": { "permits": 1, "period": "1h", "key": "Global" } },
          "routes": [
            { "id": "orders", "match": { "path": "/orders", "methods": ["GET", "POST", "PUT"] }, "cluster": "c",
              "policies": { "cors": "web"{{(rateLimited ? ", \"rateLimit\": [\"one\"]" : "")}} } },
            { "id": "plain", "match": { "path": "/plain", "methods": ["GET"] }, "cluster": "c" }
          ],
          "clusters": { "c": { "destinations": ["{{upstream}}"] } }
        }
        """);
}
