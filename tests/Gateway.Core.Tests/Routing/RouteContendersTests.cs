using Gateway.Core.Routing;
using static Gateway.Core.Tests.Routing.RouteTableHarness;

namespace Gateway.Core.Tests.Routing;

/// <summary>
/// <see cref="RouteTable{TRoute}.Contenders"/>: every route whose template matches the path, in the order the router tries
/// them, so that the first one matching host and method is always the route <see cref="RouteTable{TRoute}.Match"/> finds.
/// </summary>
public class RouteContendersTests
{
    private readonly RouteTable<string> _table = Table(
        Route("me", "/users/me", ["GET"]),
        Route("user", "/users/{id}", ["GET"]),
        Route("user-update", "/users/{id}", ["PUT"]),
        Route("api-user", "/users/{id}", ["GET"], ["api.example.com", "*.example.com"]),
        Route("user-rest", "/users/{*rest}"),
        Route("late", "/users/{id}", ["GET"], order: 2),
        Route("other", "/orders/{id}"));

    [Fact]
    public void ListsPathShapesByPrecedenceThenHostsBySpecificityThenOrder()
    {
        var contenders = _table.Contenders("www.example.com", "GET", "/users/me");

        Assert.Equal(
            [("me", 0, 1, true), ("api-user", 1, 0, true), ("user", 1, 1, true), ("user-update", 1, 1, false), ("late", 1, 1, true), ("user-rest", 2, 1, true)],
            contenders.Select(c => (c.Route.Id, c.PathRank, c.HostRank, c.AcceptsMethod)));
    }

    [Fact]
    public void RoutesWhoseHostsDoNotMatchComeLastInTheirShape()
    {
        var contenders = _table.Contenders("other.org", "GET", "/users/7");

        Assert.Equal(
            [("user", 0, 0), ("user-update", 0, 0), ("late", 0, 0), ("api-user", 0, -1), ("user-rest", 1, 0)],
            contenders.Select(c => (c.Route.Id, c.PathRank, c.HostRank)));
    }

    [Theory]
    [InlineData("GET", "/users/me", "")]
    [InlineData("GET", "/users/7", "api.example.com")]
    [InlineData("GET", "/users/7", "www.example.com")]
    [InlineData("PUT", "/users/7", "api.example.com")]
    [InlineData("DELETE", "/users/7", "")]
    [InlineData("GET", "/users/7/", "")]
    [InlineData("POST", "/users", "")]
    [InlineData("GET", "/users/7/orders", "")]
    [InlineData("GET", "/orders/1", "")]
    [InlineData("GET", "/nothing", "")]
    public void TheFirstContenderAcceptingHostAndMethodIsTheMatch(string method, string path, string host)
    {
        var first = _table.Contenders(host, method, path).FirstOrDefault(c => c.HostRank >= 0 && c.AcceptsMethod);

        Assert.Equal(_table.Find(method, path, host).RouteId, first?.Route.Id);
    }

    [Fact]
    public void NoTemplateMatchesGivesNone()
    {
        Assert.Empty(_table.Contenders("", "GET", "/nothing/here"));
        Assert.Empty(_table.Contenders("", "GET", "nothing"));
    }
}
