using static Gateway.Core.Tests.Routing.RouteTableHarness;

namespace Gateway.Core.Tests.Routing;

public class HostMatchingTests
{
    private readonly Gateway.Core.Routing.RouteTable<string> _table = Table(
        Route("any", "/x"),
        Route("example", "/x", hosts: ["*.example.com"]),
        Route("eu", "/x", hosts: ["*.eu.example.com"]),
        Route("exact", "/x", hosts: ["api.eu.example.com"]));

    [Theory]
    [InlineData("api.eu.example.com", "exact")]
    [InlineData("API.EU.Example.Com", "exact")]
    [InlineData("web.eu.example.com", "eu")]
    [InlineData("a.b.eu.example.com", "eu")]
    [InlineData("eu.example.com", "example")]
    [InlineData("www.example.com", "example")]
    [InlineData("example.com", "any")]
    [InlineData("other.org", "any")]
    [InlineData("", "any")]
    public void ExactBeatsLongerWildcardBeatsShorterWildcardBeatsAny(string host, string id)
    {
        _table.AssertMatches(id, "GET", "/x", host);
    }

    [Fact]
    public void AWildcardNeedsAtLeastOneMoreLabel()
    {
        var table = Table(Route("w", "/", hosts: ["*.example.com"]));

        table.AssertMatches("w", "GET", "/", "a.example.com");
        table.AssertNotFound("GET", "/", "example.com");
        table.AssertNotFound("GET", "/", ".example.com");
        table.AssertNotFound("GET", "/", "aexample.com");
    }

    [Fact]
    public void AHostRestrictedRouteDoesNotMatchOtherHosts()
    {
        var table = Table(Route("r", "/", hosts: ["api.example.com"]));

        table.AssertNotFound("GET", "/", "api.example.org");
        table.AssertNotFound("GET", "/", "x.api.example.com");
        table.AssertNotFound("GET", "/", "");
    }

    [Fact]
    public void ARouteWithSeveralHostsMatchesEachAtItsOwnSpecificity()
    {
        var table = Table(
            Route("wild", "/", hosts: ["*.example.com"], order: -5),
            Route("multi", "/", hosts: ["shop.example.com", "shop.example.org"]));

        table.AssertMatches("multi", "GET", "/", "shop.example.com");
        table.AssertMatches("multi", "GET", "/", "SHOP.example.org");
        table.AssertMatches("wild", "GET", "/", "blog.example.com");
    }

    [Fact]
    public void AmongRoutesForTheSameHostTheLowerOrderWins()
    {
        var table = Table(
            Route("late", "/x", hosts: ["a.example.com"], order: 10),
            Route("early", "/x", hosts: ["a.example.com"], order: -1),
            Route("any", "/x", order: -100));

        table.AssertMatches("early", "GET", "/x", "a.example.com");
        table.AssertMatches("any", "GET", "/x", "b.example.com");
    }

    [Fact]
    public void PathPrecedenceComesBeforeHostSpecificity()
    {
        var table = Table(
            Route("param", "/users/{id}", hosts: ["api.example.com"]),
            Route("literal", "/users/me"));

        table.AssertMatches("literal", "GET", "/users/me", "api.example.com");
        table.AssertMatches("param", "GET", "/users/you", "api.example.com");
        table.AssertNotFound("GET", "/users/you", "other.example.com");
    }

    [Fact]
    public void AHostMismatchBacktracksToTheNextPathBranch()
    {
        var table = Table(
            Route("literal", "/users/me", hosts: ["a.example.com"]),
            Route("param", "/users/{id}"));

        table.AssertMatches("literal", "GET", "/users/me", "a.example.com");
        Assert.Equal("me", table.AssertMatches("param", "GET", "/users/me", "b.example.com")["id"]);
    }

    [Fact]
    public void DeeplyNestedHostsMatchEveryEnclosingWildcard()
    {
        var table = Table(
            Route("com", "/", hosts: ["*.com"], methods: ["GET"]),
            Route("example", "/", hosts: ["*.example.com"], methods: ["POST"]),
            Route("deep", "/", hosts: ["*.a.b.c.example.com"], methods: ["PUT"]));

        const string host = "x.y.a.b.c.example.com";
        table.AssertMatches("deep", "PUT", "/", host);
        table.AssertMatches("example", "POST", "/", host);
        table.AssertMatches("com", "GET", "/", host);
        Assert.Equal("GET, POST, PUT", table.Find("DELETE", "/", host).Allow);
    }
}
