using Gateway.Core.Configuration;

namespace Gateway.Core.Tests.Configuration;

/// <summary>The GATEWAY_UPSTREAM quick start: one catch-all route to one destination, alone or after the file's routes.</summary>
public sealed class ForUpstreamTests
{
    [Fact]
    public void WithoutAFileItIsOneCatchAllRoute()
    {
        var config = ConfigLoader.ForUpstream("http://127.0.0.1:5000", fileConfig: null);

        var route = Assert.Single(config.Routes);
        Assert.Equal("upstream", route.Id);
        Assert.Equal("/{*path}", route.Match.Path);
        Assert.Empty(route.Match.Methods);
        Assert.Empty(route.Match.Hosts);
        Assert.Equal("upstream", route.Cluster);
        Assert.Null(route.Rewrite);
        var (name, cluster) = Assert.Single(config.Clusters);
        Assert.Equal("upstream", name);
        Assert.Equal(["http://127.0.0.1:5000"], cluster.Destinations.Select(d => d.Url));
        ConfigValidator.Validate(config, "environment");
    }

    [Fact]
    public void WithAFileItIsAddedAfterTheFileRoutes()
    {
        var file = ConfigLoader.Parse("""
            { "routes": [{ "id": "user", "match": { "path": "/users/{id}" }, "cluster": "users" }],
              "clusters": { "users": { "destinations": ["http://10.0.0.5:5001"] } } }
            """, "test.json");

        var config = ConfigLoader.ForUpstream("https://backend.internal/base", file);

        Assert.Equal(["user", "upstream"], config.Routes.Select(r => r.Id));
        Assert.Equal(["users", "upstream"], config.Clusters.Keys);
        Assert.Equal(["https://backend.internal/base"], config.Clusters["upstream"].Destinations.Select(d => d.Url));
        Assert.Single(file.Routes);
        Assert.Single(file.Clusters);
        ConfigValidator.Validate(config, "environment");
    }

    [Theory]
    [InlineData("""{ "id": "upstream", "match": { "path": "/a" }, "cluster": "users" }""", "users")]
    [InlineData("""{ "id": "a", "match": { "path": "/a" }, "cluster": "upstream" }""", "upstream")]
    public void AFileThatAlreadyUsesTheNameIsRejected(string route, string cluster)
    {
        var file = ConfigLoader.Parse($$"""
            { "routes": [{{route}}], "clusters": { "{{cluster}}": { "destinations": ["http://10.0.0.5:5001"] } } }
            """, "test.json");

        var error = ConfigAssert.Fails(() => ConfigLoader.ForUpstream("http://127.0.0.1:5000", file), "GATEWAY_UPSTREAM",
            "already has a route or cluster named \"upstream\"");

        Assert.Equal("environment", error.Origin);
    }

    [Theory]
    [InlineData("127.0.0.1:5000", "\"127.0.0.1:5000\" is not an absolute http:// or https:// URL")]
    [InlineData("http://127.0.0.1:5000/?x=1", "must not have a query")]
    [InlineData("http://u@127.0.0.1:5000", "must not contain user info")]
    [InlineData("", "a destination URL must not be empty")]
    public void AnInvalidUrlIsRejected(string url, string reason)
    {
        var error = ConfigAssert.Fails(() => ConfigLoader.ForUpstream(url, fileConfig: null), "GATEWAY_UPSTREAM", reason);

        Assert.Equal("environment", error.Origin);
    }
}
