using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Routing;

/// <summary>Routes restricted to an exact host or a <c>*.example.com</c> wildcard send each host to its own upstream; other hosts get 404.</summary>
public sealed class HostRoutingTests
{
    [Theory]
    [InlineData("api.example.com", "exact")]
    [InlineData("API.Example.COM", "exact")]
    [InlineData("api.example.com:8443", "exact")]
    [InlineData("shop.example.com", "wildcard")]
    [InlineData("eu.shop.example.com:80", "wildcard")]
    public async Task EachHostReachesItsOwnUpstream(string host, string expected)
    {
        await using var exact = await RecordingUpstream.StartAsync("exact");
        await using var wildcard = await RecordingUpstream.StartAsync("wildcard");
        await using var gateway = await StartAsync(exact, wildcard);

        var response = await gateway.SendAsync($"GET /catalog HTTP/1.1\r\nHost: {host}\r\n\r\n");

        Assert.Equal(200, response.Status);
        Assert.Equal(expected, response.Header("X-Upstream"));
        Assert.Equal(expected == "exact" ? 1 : 0, exact.Requests.Count);
        Assert.Equal(expected == "wildcard" ? 1 : 0, wildcard.Requests.Count);
    }

    [Theory]
    [InlineData("example.com")]
    [InlineData("api.example.org")]
    [InlineData("localhost")]
    public async Task HostWithoutARouteGets404(string host)
    {
        await using var exact = await RecordingUpstream.StartAsync("exact");
        await using var wildcard = await RecordingUpstream.StartAsync("wildcard");
        await using var gateway = await StartAsync(exact, wildcard);

        var response = await gateway.SendAsync($"GET /catalog HTTP/1.1\r\nHost: {host}\r\n\r\n");

        Problem.AssertIs(404, response);
        Assert.Equal(0, exact.Arrivals + wildcard.Arrivals);
    }

    [Fact]
    public async Task AbsoluteFormTargetRoutesOnItsOwnAuthority()
    {
        await using var exact = await RecordingUpstream.StartAsync("exact");
        await using var wildcard = await RecordingUpstream.StartAsync("wildcard");
        await using var gateway = await StartAsync(exact, wildcard);

        var response = await gateway.SendAsync("GET http://api.example.com/catalog?q=1 HTTP/1.1\r\nHost: shop.example.com\r\n\r\n");

        Assert.Equal(200, response.Status);
        Assert.Equal("exact", response.Header("X-Upstream"));
        var seen = Assert.Single(exact.Requests);
        Assert.Equal("/catalog?q=1", seen.Target);
        Assert.Equal("api.example.com", seen.Header("X-Forwarded-Host"));
    }

    private static Task<TestGateway> StartAsync(RecordingUpstream exact, RecordingUpstream wildcard) => TestGateway.StartAsync(Configs.Parse($$"""
        {
          "routes": [
            { "id": "api", "match": { "path": "/{*path}", "hosts": ["api.example.com"] }, "cluster": "exact" },
            { "id": "shops", "match": { "path": "/{*path}", "hosts": ["*.example.com"] }, "cluster": "wildcard" }
          ],
          "clusters": {
            "exact": { "destinations": [ "{{exact.Url}}" ] },
            "wildcard": { "destinations": [ "{{wildcard.Url}}" ] }
          }
        }
        """));
}
