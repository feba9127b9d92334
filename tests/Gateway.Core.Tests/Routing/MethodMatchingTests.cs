using Gateway.Core.Routing;
using static Gateway.Core.Tests.Routing.RouteTableHarness;

namespace Gateway.Core.Tests.Routing;

public class MethodMatchingTests
{
    [Fact]
    public void ARouteWithoutMethodsAcceptsAnyMethod()
    {
        var table = Table(Route("r", "/x"));

        table.AssertMatches("r", "GET", "/x");
        table.AssertMatches("r", "BREW", "/x");
    }

    [Fact]
    public void RoutesWithTheSamePathSplitByMethod()
    {
        var table = Table(
            Route("read", "/items/{id}", methods: ["GET", "HEAD"]),
            Route("write", "/items/{id}", methods: ["PUT", "PATCH"]),
            Route("fallback", "/items/{id}", order: 1));

        table.AssertMatches("read", "HEAD", "/items/1");
        table.AssertMatches("write", "PATCH", "/items/1");
        table.AssertMatches("fallback", "DELETE", "/items/1");
    }

    [Fact]
    public void ConfiguredMethodsAreUpperCasedButRequestMethodsAreComparedExactly()
    {
        var table = Table(Route("r", "/x", methods: ["get", "M-search"]));

        table.AssertMatches("r", "GET", "/x");
        table.AssertMatches("r", "M-search", "/x");
        Assert.Equal(RouteMatchStatus.MethodNotAllowed, table.Find("get", "/x").Status);
        Assert.Equal(RouteMatchStatus.MethodNotAllowed, table.Find("M-SEARCH", "/x").Status);
    }

    [Fact]
    public void MethodNotAllowedListsTheSortedDistinctMethodsOfTheMatchingRoutes()
    {
        var table = Table(
            Route("a", "/x", methods: ["PUT", "GET"]),
            Route("b", "/x", methods: ["POST", "GET"], order: 1),
            Route("c", "/x", methods: ["DELETE"], hosts: ["other.example.com"]),
            Route("d", "/y", methods: ["PATCH"]));

        var outcome = table.Find("OPTIONS", "/x", "api.example.com");

        Assert.Equal((RouteMatchStatus.MethodNotAllowed, (string?)null, "GET, POST, PUT"), (outcome.Status, outcome.RouteId, outcome.Allow));
        Assert.Equal("DELETE, GET, POST, PUT", table.Find("OPTIONS", "/x", "other.example.com").Allow);
    }

    [Fact]
    public void AMethodMismatchBacktracksToTheNextPathBranch()
    {
        var table = Table(
            Route("me", "/users/me", methods: ["GET"]),
            Route("user", "/users/{id}", methods: ["DELETE"]),
            Route("rest", "/users/{*rest}", methods: ["POST"]));

        table.AssertMatches("me", "GET", "/users/me");
        Assert.Equal("me", table.AssertMatches("user", "DELETE", "/users/me")["id"]);
        Assert.Equal("me", table.AssertMatches("rest", "POST", "/users/me")["rest"]);
        Assert.Equal("DELETE, GET, POST", table.Find("PUT", "/users/me").Allow);
        Assert.Equal("DELETE, POST", table.Find("PUT", "/users/you").Allow);
    }

    [Fact]
    public void AMethodMismatchFallsThroughToALessSpecificHost()
    {
        var table = Table(
            Route("exact", "/x", methods: ["GET"], hosts: ["a.example.com"]),
            Route("any", "/x"));

        table.AssertMatches("exact", "GET", "/x", "a.example.com");
        table.AssertMatches("any", "POST", "/x", "a.example.com");
    }

    [Fact]
    public void NotFoundWinsOverMethodNotAllowedWhenNoRouteMatchesPathAndHost()
    {
        var table = Table(Route("r", "/x", methods: ["GET"], hosts: ["a.example.com"]));

        table.AssertNotFound("POST", "/x", "b.example.com");
        table.AssertNotFound("POST", "/y", "a.example.com");
    }

    [Fact]
    public void AnUnknownRequestMethodIsNotAllowedRatherThanAnError()
    {
        var table = Table(Route("r", "/x", methods: ["GET"]));

        var outcome = table.Find("", "/x");

        Assert.Equal((RouteMatchStatus.MethodNotAllowed, "GET"), (outcome.Status, outcome.Allow));
    }

    [Fact]
    public void TheAllowValueIsTheSameStringInstanceEveryTime()
    {
        var table = Table(
            Route("me", "/users/me", methods: ["GET"]),
            Route("user", "/users/{id}", methods: ["DELETE"]));

        Assert.Same(table.Find("PUT", "/users/x").Allow, table.Find("PUT", "/users/y").Allow);
        Assert.Same(table.Find("PUT", "/users/me").Allow, table.Find("PUT", "/users/me").Allow);
    }
}
