using Gateway.Core.Routing;
using static Gateway.Core.Tests.Routing.RouteTableHarness;

namespace Gateway.Core.Tests.Routing;

public class PathMatchingTests
{
    [Fact]
    public void LiteralBeatsParameterBeatsCatchAll()
    {
        var table = Table(
            Route("all", "/users/{*rest}"),
            Route("one", "/users/{id}"),
            Route("me", "/users/me"));

        table.AssertMatches("me", "GET", "/users/me");
        Assert.Equal("42", table.AssertMatches("one", "GET", "/users/42")["id"]);
        Assert.Equal("42/orders", table.AssertMatches("all", "GET", "/users/42/orders")["rest"]);
    }

    [Fact]
    public void ADeadEndLiteralBranchFallsBackToTheParameterBranch()
    {
        var table = Table(
            Route("profile", "/users/me/profile"),
            Route("settings", "/users/{id}/settings"));

        table.AssertMatches("profile", "GET", "/users/me/profile");
        Assert.Equal("me", table.AssertMatches("settings", "GET", "/users/me/settings")["id"]);
    }

    [Fact]
    public void ADeadEndParameterBranchFallsBackToTheCatchAll()
    {
        var table = Table(
            Route("deep", "/a/b/c"),
            Route("param", "/a/{x}/d"),
            Route("rest", "/a/{*rest}"));

        table.AssertMatches("deep", "GET", "/a/b/c");
        Assert.Equal("b", table.AssertMatches("param", "GET", "/a/b/d")["x"]);
        Assert.Equal("b/e", table.AssertMatches("rest", "GET", "/a/b/e")["rest"]);
    }

    [Fact]
    public void BacktrackingReachesACatchAllSeveralLevelsUp()
    {
        var table = Table(
            Route("root", "/{*path}"),
            Route("deep", "/x/{a}/{b}/z"));

        Assert.Equal(new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" }, table.AssertMatches("deep", "GET", "/x/1/2/z"));
        Assert.Equal("x/1/2/y", table.AssertMatches("root", "GET", "/x/1/2/y")["path"]);
    }

    [Fact]
    public void ParametersAreRangesOfTheRawPathInTemplateOrder()
    {
        var table = Table(Route("r", "/orgs/{org}/repos/{repo}/blob/{*file}"));

        var parameters = table.AssertMatches("r", "GET", "/orgs/acme%20inc/repos/gate-way/blob/src/a%2Fb.cs");

        Assert.Equal(new Dictionary<string, string> { ["org"] = "acme%20inc", ["repo"] = "gate-way", ["file"] = "src/a%2Fb.cs" }, parameters);
        Assert.Equal(["org", "repo", "file"], table.Routes[0].ParameterNames);
    }

    [Theory]
    [InlineData("/files", "")]
    [InlineData("/files/", "")]
    [InlineData("/files/a", "a")]
    [InlineData("/files/a/b", "a/b")]
    [InlineData("/files/a/b/", "a/b/")]
    [InlineData("/files//a", "/a")]
    public void CatchAllTakesTheRestOfThePathWithoutItsLeadingSlash(string path, string rest)
    {
        var table = Table(Route("files", "/files/{*rest}"));

        Assert.Equal(rest, table.AssertMatches("files", "GET", path)["rest"]);
    }

    [Fact]
    public void AnEmptyCatchAllRangeSitsAtTheEndOfThePath()
    {
        var table = Table(Route("files", "/files/{*rest}"));
        var ranges = new Range[RouteTable<string>.MaxParameters];

        table.Match(default, "GET"u8, "/files"u8, ranges, out _, out _);

        Assert.Equal((6, 0), ranges[0].GetOffsetAndLength(6));
    }

    [Fact]
    public void TheExactRouteBeatsTheCatchAllAtTheSamePlace()
    {
        var table = Table(Route("rest", "/files/{*rest}"), Route("list", "/files"));

        table.AssertMatches("list", "GET", "/files");
        table.AssertMatches("list", "GET", "/files/");
        table.AssertMatches("rest", "GET", "/files/x");
    }

    [Fact]
    public void TheRootTemplateMatchesOnlyTheRoot()
    {
        var table = Table(Route("root", "/"), Route("users", "/users"));

        table.AssertMatches("root", "GET", "/");
        table.AssertNotFound("GET", "//");
        table.AssertNotFound("GET", "/other");
    }

    [Fact]
    public void ARootCatchAllMatchesEveryPath()
    {
        var table = Table(Route("all", "/{*path}"));

        Assert.Equal("", table.AssertMatches("all", "GET", "/")["path"]);
        Assert.Equal("a/b", table.AssertMatches("all", "GET", "/a/b")["path"]);
    }

    [Fact]
    public void OneTrailingSlashIsTolerated()
    {
        var table = Table(Route("users", "/users"), Route("user", "/users/{id}"));

        table.AssertMatches("users", "GET", "/users/");
        Assert.Equal("7", table.AssertMatches("user", "GET", "/users/7/")["id"]);
        table.AssertNotFound("GET", "/users//");
    }

    [Fact]
    public void AParameterDoesNotMatchAnEmptySegment()
    {
        var table = Table(Route("user", "/users/{id}"), Route("pair", "/a/{x}/b"));

        table.AssertNotFound("GET", "/users/");
        table.AssertNotFound("GET", "/a//b");
    }

    [Fact]
    public void LiteralsCompareAsciiCaseInsensitively()
    {
        var table = Table(Route("r", "/Api/Users/{ID}"));

        Assert.Equal("AbC", table.AssertMatches("r", "GET", "/API/users/AbC")["ID"]);
        table.AssertMatches("r", "GET", "/api/USERS/x");
    }

    [Fact]
    public void LiteralsMatchWholeSegmentsOnly()
    {
        var table = Table(Route("r", "/users"), Route("s", "/users/list"));

        table.AssertNotFound("GET", "/user");
        table.AssertNotFound("GET", "/usersx");
        table.AssertNotFound("GET", "/users/lis");
        table.AssertNotFound("GET", "/users/list/more");
    }

    [Theory]
    [InlineData("")]
    [InlineData("users")]
    [InlineData("*")]
    public void APathThatDoesNotStartWithASlashIsNotFound(string path)
    {
        Table(Route("all", "/{*path}")).AssertNotFound("GET", path);
    }

    [Fact]
    public void AnEmptyTableFindsNothing()
    {
        Table().AssertNotFound("GET", "/");
    }

    [Fact]
    public void MatchRequiresRoomForTheMaximumNumberOfParameters()
    {
        var table = Table(Route("r", "/"));

        Assert.Throws<ArgumentOutOfRangeException>(() =>
            table.Match(default, "GET"u8, "/"u8, new Range[RouteTable<string>.MaxParameters - 1], out _, out _));
    }

    [Fact]
    public void RoutesAreListedInInputOrderWithNormalizedMethodsAndHosts()
    {
        var table = Table(
            Route("b", "/b", methods: ["get", "GET", "post"], hosts: ["API.Example.com", "*.Example.COM"], order: 3),
            Route("a", "/a/{id}"));

        var first = table.Routes[0];
        Assert.Equal(["b", "a"], table.Routes.Select(r => r.Id));
        Assert.Equal(("b", "/b", 3), (first.Value, first.Path, first.Order));
        Assert.Equal(["GET", "POST"], first.Methods);
        Assert.Equal(["api.example.com", "*.example.com"], first.Hosts);
        Assert.Empty(table.Routes[1].Methods);
        Assert.Empty(table.Routes[1].Hosts);
    }
}
