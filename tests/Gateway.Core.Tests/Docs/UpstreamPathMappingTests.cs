using Gateway.Core.Configuration;
using Gateway.Core.Docs;

namespace Gateway.Core.Tests.Docs;

/// <summary>An upstream document's paths mapped onto a route's public paths: through the route's rewrite, its parameters renamed or fixed, its catch-all filled.</summary>
public sealed class UpstreamPathMappingTests
{
    [Theory]
    [InlineData("/users/{id}", null, null, "/users/{userId}", "/users/{id}", "userId=id")]
    [InlineData("/users/{id}", null, null, "/users/me", "/users/me", "")]
    [InlineData("/users/{id}", null, null, "/users", null, "")]
    [InlineData("/users/{id}", null, null, "/users/{id}/orders", null, "")]
    [InlineData("/api/{*rest}", "/api", null, "/items/{itemId}", "/api/items/{itemId}", "")]
    [InlineData("/api/{*rest}", "/api", null, "/", "/api", "")]
    [InlineData("/shop/item/{id}", null, "/items/{id}", "/items/{itemId}", "/shop/item/{id}", "itemId=id")]
    [InlineData("/me", null, "/users/current", "/users/{userId}", "/me", "userId=")]
    [InlineData("/v2/{*rest}", null, "/v1/{*rest}", "/v1/a/{b}", "/v2/a/{b}", "")]
    [InlineData("/v2/{*rest}", null, "/v1/{*rest}", "/v3/a", null, "")]
    public void MapsThroughTheRewrite(string template, string? stripPrefix, string? rewritePath, string upstream, string? expected, string renames)
    {
        var route = new RouteConfig
        {
            Id = "r",
            Match = new RouteMatchConfig { Path = template },
            Rewrite = stripPrefix is null && rewritePath is null ? null : new RouteRewriteConfig { StripPrefix = stripPrefix, Path = rewritePath },
        };

        var mapped = UpstreamPathMapping.For(route).TryMap(upstream, out var publicPath, out var parameters);

        Assert.Equal(expected is not null, mapped);
        if (mapped)
        {
            Assert.Equal(expected, publicPath);
            Assert.Equal(renames, string.Join(',', parameters.Select(p => $"{p.Key}={p.Value}")));
        }
    }

    [Theory]
    [InlineData("/items", "", "", "/items")]
    [InlineData("/items", "/v1", "/v1", "/items")]
    [InlineData("/v1/items", "", "/v1", "/items")]
    [InlineData("/items", "", "/v1", "/items")]
    [InlineData("/v1", "", "/v1", "/")]
    [InlineData("/v10/items", "", "/v1", "/v10/items")]
    public void TheForwardedPathLeavesOutTheDestinationsBasePath(string path, string serverPath, string basePath, string forwarded)
    {
        Assert.Equal(forwarded, UpstreamPathMapping.Forwarded(path, serverPath, basePath));
    }
}
