using Gateway.Core.Routing;
using static Gateway.Core.Tests.Routing.RouteTableHarness;

namespace Gateway.Core.Tests.Routing;

public class LargeRouteTableTests
{
    private const int Services = 1000;

    private static readonly RouteTable<string> Routes = Table(Enumerable.Range(0, Services)
        .SelectMany(i => new[]
        {
            Route($"items{i}", $"/svc{i}/items/{{id}}", methods: ["GET"]),
            Route($"static{i}", $"/svc{i}/static/x"),
            Route($"files{i}", $"/svc{i}/files/{{*rest}}"),
            Route($"tenant{i}", "/home", hosts: [$"tenant{i}.example.com"]),
        })
        .ToArray());

    [Fact]
    public void EveryRouteIsFoundWithItsParameters()
    {
        for (var i = 0; i < Services; i++)
        {
            Assert.Equal($"item-{i}", Routes.AssertMatches($"items{i}", "GET", $"/svc{i}/items/item-{i}")["id"]);
            Routes.AssertMatches($"static{i}", "GET", $"/SVC{i}/static/x");
            Assert.Equal($"a/{i}", Routes.AssertMatches($"files{i}", "GET", $"/svc{i}/files/a/{i}")["rest"]);
            Routes.AssertMatches($"tenant{i}", "GET", "/home", $"tenant{i}.example.com");
        }
    }

    [Theory]
    [InlineData("GET", "/svc1000/items/1", "")]
    [InlineData("GET", "/svc1/items", "")]
    [InlineData("GET", "/svc1/items/1/2", "")]
    [InlineData("GET", "/svc1/static/y", "")]
    [InlineData("GET", "/svc1/nope", "")]
    [InlineData("GET", "/svc", "")]
    [InlineData("GET", "/", "")]
    [InlineData("GET", "/home", "tenant1000.example.com")]
    [InlineData("GET", "/home", "")]
    public void MissesAreNotFound(string method, string path, string host)
    {
        Routes.AssertNotFound(method, path, host);
    }

    [Fact]
    public void AWrongMethodOnALargeTableIsMethodNotAllowed()
    {
        Assert.Equal("GET", Routes.Find("POST", "/svc500/items/1").Allow);
    }
}
