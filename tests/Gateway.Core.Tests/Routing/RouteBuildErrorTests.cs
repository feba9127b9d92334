using Gateway.Core.Routing;
using static Gateway.Core.Tests.Routing.RouteTableHarness;

namespace Gateway.Core.Tests.Routing;

public class RouteBuildErrorTests
{
    [Theory]
    [InlineData("", "must start with '/'")]
    [InlineData("users", "must start with '/'")]
    [InlineData("/users/", "must not end with '/'")]
    [InlineData("/a//b", "empty segment")]
    [InlineData("/a{id}", "a parameter must be a whole segment")]
    [InlineData("/{id}a", "a parameter must be a whole segment")]
    [InlineData("/{a}{b}", "needs a parameter name")]
    [InlineData("/{}", "needs a parameter name")]
    [InlineData("/{*}", "needs a parameter name")]
    [InlineData("/{i d}", "needs a parameter name")]
    [InlineData("/{id.x}", "needs a parameter name")]
    [InlineData("/{*x}/more", "the catch-all \"{*x}\" must be the last segment")]
    [InlineData("/{id}/x/{id}", "parameter \"id\" appears twice")]
    [InlineData("/{x}/{*x}", "parameter \"x\" appears twice")]
    [InlineData("/a b", "U+0020 is not allowed")]
    [InlineData("/a?b", "'?' is not allowed")]
    [InlineData("/a#b", "'#' is not allowed")]
    [InlineData("/caf\u00e9", "U+00E9 is not allowed")]
    [InlineData("/a}", "a parameter must be a whole segment")]
    public void AMalformedTemplateIsRejectedWithTheReason(string path, string reason)
    {
        var message = AssertRejected(1, "path", Route("ok", "/ok"), Route("bad", path));

        Assert.Contains(reason, message, StringComparison.Ordinal);
        Assert.Contains($"\"{path}\"", message, StringComparison.Ordinal);
    }

    [Fact]
    public void MoreThanTheMaximumNumberOfParametersIsRejected()
    {
        var atMost = "/" + string.Join('/', Enumerable.Range(0, RouteTable<string>.MaxParameters).Select(i => $"{{p{i}}}"));
        Table(Route("max", atMost));

        var message = AssertRejected(0, "path", Route("over", atMost + "/{*rest}"));

        Assert.Contains("more than 16 parameters", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("GE T")]
    [InlineData("GET,POST")]
    [InlineData("G\u00c9T")]
    public void AMethodThatIsNotATokenIsRejected(string method)
    {
        var message = AssertRejected(0, "methods", Route("r", "/", methods: ["GET", method]));

        Assert.Contains("not an HTTP method token", message, StringComparison.Ordinal);
    }

    [Fact]
    public void MoreThan64DistinctMethodsInOneTableAreRejected()
    {
        var routes = Enumerable.Range(0, 65).Select(i => Route($"r{i}", $"/r{i}", methods: [$"M{i}"])).ToArray();

        var message = AssertRejected(64, "methods", routes);

        Assert.Contains("at most 64 distinct methods", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("api.example.com:8080", "must not contain a port")]
    [InlineData("*.example.com:443", "must not contain a port")]
    [InlineData("", "must be a host name")]
    [InlineData("*", "must be a host name")]
    [InlineData("*.", "must be a host name")]
    [InlineData("*example.com", "must be a host name")]
    [InlineData("a.*.example.com", "must be a host name")]
    [InlineData("example..com", "must be a host name")]
    [InlineData("example.com.", "must be a host name")]
    [InlineData("exa mple.com", "must be a host name")]
    [InlineData("http://example.com", "must be a host name")]
    public void AMalformedHostIsRejected(string host, string reason)
    {
        var message = AssertRejected(1, "hosts", Route("ok", "/"), Route("bad", "/", hosts: ["ok.example.com", host]));

        Assert.Contains(reason, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/users/{id}", "/users/{userId}")]
    [InlineData("/Users/{id}", "/users/{id}")]
    [InlineData("/files/{*rest}", "/FILES/{*path}")]
    [InlineData("/", "/")]
    public void RoutesWithTheSameShapeHostOrderAndMethodsAreAmbiguous(string firstPath, string secondPath)
    {
        var message = AssertRejected(2, "path",
            Route("other", "/other"),
            Route("first", firstPath),
            Route("second", secondPath));

        Assert.Contains("\"second\"", message, StringComparison.Ordinal);
        Assert.Contains("\"first\"", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "GET" }, new[] { "GET", "POST" })]
    [InlineData(new string[0], new[] { "POST" })]
    [InlineData(new[] { "DELETE" }, new string[0])]
    [InlineData(new[] { "get" }, new[] { "GET" })]
    public void OverlappingMethodSetsAreAmbiguous(string[] firstMethods, string[] secondMethods)
    {
        var message = AssertRejected(1, "path",
            Route("first", "/x", methods: firstMethods),
            Route("second", "/x", methods: secondMethods));

        Assert.Contains("route \"second\" is ambiguous with route \"first\"", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "api.example.com" }, new[] { "API.example.com" })]
    [InlineData(new[] { "*.example.com" }, new[] { "other.org", "*.EXAMPLE.com" })]
    public void OverlappingHostPatternsAreAmbiguous(string[] firstHosts, string[] secondHosts)
    {
        var message = AssertRejected(1, "path",
            Route("first", "/x", hosts: firstHosts),
            Route("second", "/x", hosts: secondHosts));

        Assert.Contains("\"first\"", message, StringComparison.Ordinal);
        Assert.Contains("\"second\"", message, StringComparison.Ordinal);
    }

    [Fact]
    public void DifferentOrderMethodsHostsOrShapesAreNotAmbiguous()
    {
        var table = Table(
            Route("a", "/x/{id}"),
            Route("b", "/x/{id}", order: 1),
            Route("c", "/x/{id}", hosts: ["a.example.com"]),
            Route("d", "/x/{id}", hosts: ["*.example.com"]),
            Route("e", "/x/{id}", hosts: ["*.a.example.com"]),
            Route("f", "/x/{*id}"),
            Route("g", "/x/id"),
            Route("h", "/y", methods: ["GET"]),
            Route("i", "/y", methods: ["POST"]));

        Assert.Equal(9, table.Routes.Count);
    }

    [Fact]
    public void TheFirstBadRouteInInputOrderIsReported()
    {
        var message = AssertRejected(1, "hosts",
            Route("fine", "/x"),
            Route("bad-host", "/y", hosts: ["a:1"]),
            Route("bad-path", "y"));

        Assert.Contains("a:1", message, StringComparison.Ordinal);
    }
}
