using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Pipeline;

/// <summary>Routes that answer from the configuration: status, templated fields and body, without calling any upstream.</summary>
public sealed class DirectResponseTests
{
    private const string MovedApi = """
        {
          "routes": [
            { "id": "old-api", "match": { "path": "/v0/{*rest}" }, "respond": { "status": 308, "headers": { "Location": "/v1/{rest}" } } },
            { "id": "gone", "match": { "path": "/legacy/{id}" },
              "respond": { "status": 410, "contentType": "application/json", "body": "{\"error\":\"gone\",\"see\":\"/v1\"}", "headers": { "X-Legacy-Id": "{id}" } } },
            { "id": "no-content", "match": { "path": "/ping" }, "respond": { "status": 204 } },
            { "id": "limited", "match": { "path": "/limited" }, "respond": { "status": 200, "body": "ok" }, "policies": { "rateLimit": ["one"] } }
          ],
          "rateLimits": { "one": { "permits": 1, "period": "1h" } }
        }
        """;

    [Fact]
    public async Task AMovedApiRedirectsWithTheRestOfThePathAsItArrived()
    {
        await using var gateway = await TestGateway.StartAsync(Configs.Parse(MovedApi));
        await using var connection = await gateway.ConnectAsync();

        await connection.SendAsync("GET /v0/users/7%20x HTTP/1.1\r\nHost: a\r\n\r\n");
        var redirect = await connection.ReadResponseAsync();
        await connection.SendAsync("GET /v0/ HTTP/1.1\r\nHost: a\r\n\r\n");
        var toRoot = await connection.ReadResponseAsync();

        Assert.Equal(308, redirect.Status);
        Assert.Equal("/v1/users/7%20x", redirect.Header("Location"));
        Assert.Equal("0", redirect.Header("Content-Length"));
        Assert.NotNull(redirect.Header("X-Request-Id"));
        Assert.NotNull(redirect.Header("Date"));
        Assert.False(redirect.ConnectionHas("close"));
        Assert.Equal("/v1/", toRoot.Header("Location"));
    }

    [Fact]
    public async Task ABodyWithItsContentTypeAndAFieldFromAParameter()
    {
        await using var gateway = await TestGateway.StartAsync(Configs.Parse(MovedApi));

        await using var connection = await gateway.ConnectAsync();
        await connection.SendAsync("GET /legacy/42 HTTP/1.1\r\nHost: a\r\n\r\n");
        var response = await connection.ReadResponseAsync();
        await connection.SendAsync("HEAD /legacy/42 HTTP/1.1\r\nHost: a\r\n\r\n");
        var head = await connection.ReadResponseAsync(bodyless: true);
        await connection.SendAsync("GET /ping HTTP/1.1\r\nHost: a\r\n\r\n");
        var noContent = await connection.ReadResponseAsync();

        Assert.Equal(410, response.Status);
        Assert.Equal("application/json", response.Header("Content-Type"));
        Assert.Equal("42", response.Header("X-Legacy-Id"));
        Assert.Equal("""{"error":"gone","see":"/v1"}""", response.BodyText);
        Assert.Equal(410, head.Status);
        Assert.Empty(head.Body);
        Assert.Equal(response.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), head.Header("Content-Length"));
        Assert.Equal(204, noContent.Status);
        Assert.Null(noContent.Header("Content-Length"));
    }

    [Fact]
    public async Task AParameterThatWouldMakeAProtocolRelativeUrlIsRefused()
    {
        await using var gateway = await TestGateway.StartAsync(Configs.Parse("""
            { "routes": [ { "id": "bounce", "match": { "path": "/go/{*to}" }, "respond": { "status": 302, "headers": { "Location": "/{to}" } } } ] }
            """));

        var safe = await gateway.SendAsync("GET /go/home HTTP/1.1\r\nHost: a\r\n\r\n");
        var evil = await gateway.SendAsync("GET /go//evil.example HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.Equal(302, safe.Status);
        Assert.Equal("/home", safe.Header("Location"));
        Problem.AssertIs(400, evil);
        Assert.Null(evil.Header("Location"));
    }

    [Fact]
    public async Task StepsApplyToADirectResponseAsToAnyRoute()
    {
        await using var gateway = await TestGateway.StartAsync(Configs.Parse(MovedApi));

        var first = await gateway.SendAsync("GET /limited HTTP/1.1\r\nHost: a\r\n\r\n");
        var second = await gateway.SendAsync("GET /limited HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.Equal(200, first.Status);
        Assert.Equal("ok", first.BodyText);
        Assert.Matches("^\"one\";r=0;t=[0-9]+$", first.Header("RateLimit"));
        Problem.AssertIs(429, second);
        Assert.NotNull(second.Header("Retry-After"));
    }

    [Fact]
    public async Task ARequestBodyIsNotReadSoTheConnectionClosesAfterTheAnswer()
    {
        await using var gateway = await TestGateway.StartAsync(Configs.Parse(MovedApi));
        await using var connection = await gateway.ConnectAsync();

        await connection.SendAsync("POST /v0/orders HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello");
        var response = await connection.ReadResponseAsync();

        Assert.Equal(308, response.Status);
        Assert.True(response.ConnectionHas("close"));
        Assert.True(await connection.WaitForCloseAsync());
    }
}
