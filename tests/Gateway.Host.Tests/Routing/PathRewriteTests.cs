using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Routing;

/// <summary>Routes with path parameters, rewrite templates, stripped prefixes and catch-alls send the upstream the path the configuration promises, query intact.</summary>
public sealed class PathRewriteTests
{
    [Theory]
    [InlineData("/orders/42?expand=items", "/v1/orders/42?expand=items")]
    [InlineData("/orders/a%20b", "/v1/orders/a%20b")]
    [InlineData("/api/products/7/reviews?page=2&sort=new", "/products/7/reviews?page=2&sort=new")]
    [InlineData("/api/products?all=1", "/products?all=1")]
    [InlineData("/files/a/b/c.txt?v=3", "/files/a/b/c.txt?v=3")]
    [InlineData("/static/css/site.css?v=9", "/cdn/assets/css/site.css?v=9")]
    public async Task UpstreamReceivesTheRewrittenPathAndTheOriginalQuery(string requested, string forwarded)
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.Parse($$"""
            {
              "routes": [
                { "id": "order", "match": { "path": "/orders/{id}", "methods": ["GET"] }, "cluster": "main",
                  "rewrite": { "path": "/v1/orders/{id}" } },
                { "id": "products", "match": { "path": "/api/products/{*rest}" }, "cluster": "main", "rewrite": { "stripPrefix": "/api" } },
                { "id": "files", "match": { "path": "/files/{*path}" }, "cluster": "main" },
                { "id": "assets", "match": { "path": "/static/{*path}" }, "cluster": "main", "rewrite": { "path": "/cdn/assets/{*path}" } }
              ],
              "clusters": { "main": { "destinations": [ "{{upstream.Url}}" ] } }
            }
            """));

        var response = await gateway.SendAsync($"GET {requested} HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.Equal(200, response.Status);
        Assert.Equal(forwarded, Assert.Single(upstream.Requests).Target);
    }

    [Fact]
    public async Task DestinationBasePathPrefixesTheForwardedPath()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url + "/base"));

        var response = await gateway.SendAsync("GET /x/y?z=1 HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.Equal(200, response.Status);
        Assert.Equal("/base/x/y?z=1", Assert.Single(upstream.Requests).Target);
    }
}
