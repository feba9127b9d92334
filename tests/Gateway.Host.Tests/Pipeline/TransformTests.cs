using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Pipeline;

/// <summary>Header transforms: fields set on and removed from the request toward the upstream and every response toward the client.</summary>
public sealed class TransformTests
{
    [Fact]
    public async Task RequestFieldsAreSetAndRemovedOnTheWayUpstream()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Config(upstream.Url));

        var response = await gateway.SendAsync("GET /users/7 HTTP/1.1\r\nHost: a\r\nX-Env: dev\r\nx-env: test\r\nX-Debug: 1\r\nX-Kept: yes\r\n\r\n");

        Assert.Equal(200, response.Status);
        var seen = Assert.Single(upstream.Requests);
        Assert.Equal("prod", seen.Header("X-Env"));
        Assert.Equal("7", seen.Header("X-User-Id"));
        Assert.Null(seen.Header("X-Debug"));
        Assert.Equal("yes", seen.Header("X-Kept"));
    }

    [Fact]
    public async Task ResponseFieldsAreSetAndRemovedOnTheWayBack()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Config(upstream.Url));

        var response = await gateway.SendAsync("GET /users/7 HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.Equal(200, response.Status);
        Assert.Equal("DENY", response.Header("X-Frame-Options"));
        Assert.Equal("user-7", response.Header("X-Resource"));
        Assert.Null(response.Header("X-Upstream"));
        Assert.Equal("text/plain", response.Header("Content-Type"));
    }

    [Fact]
    public async Task ResponseTransformsApplyToTheGatewaysOwnAnswersToo()
    {
        await using var gateway = await TestGateway.StartAsync(Config("http://127.0.0.1:1"));

        var limitedFirst = await gateway.SendAsync("GET /limited/1 HTTP/1.1\r\nHost: a\r\n\r\n");
        var refused = await gateway.SendAsync("GET /limited/1 HTTP/1.1\r\nHost: a\r\n\r\n");
        var unreachable = await gateway.SendAsync("GET /users/7 HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.Equal(502, limitedFirst.Status);
        Problem.AssertIs(429, refused);
        Assert.Equal("DENY", refused.Header("X-Frame-Options"));
        Problem.AssertIs(502, unreachable);
        Assert.Equal("DENY", unreachable.Header("X-Frame-Options"));
        Assert.Equal("user-7", unreachable.Header("X-Resource"));
    }

    private static Gateway.Core.Configuration.GatewayConfig Config(string upstream) => Configs.Parse($$"""
        {
          "routes": [
            { "id": "user", "match": { "path": "/users/{id}" }, "cluster": "main",
              "transforms": {
                "request": { "set": { "X-Env": "prod", "X-User-Id": "{id}" }, "remove": ["X-Debug"] },
                "response": { "set": { "X-Frame-Options": "DENY", "X-Resource": "user-{id}" }, "remove": ["X-Upstream"] } } },
            { "id": "limited", "match": { "path": "/limited/{id}" }, "cluster": "main", "policies": { "rateLimit": ["one"] },
              "transforms": { "response": { "set": { "X-Frame-Options": "DENY" } } } }
          ],
          "clusters": { "main": { "destinations": [ "{{upstream}}" ] } },
          "rateLimits": { "one": { "permits": 1, "period": "1h" } }
        }
        """);
}
