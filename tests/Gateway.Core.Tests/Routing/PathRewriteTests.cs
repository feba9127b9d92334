using System.Text;
using Gateway.Core.Routing;
using static Gateway.Core.Tests.Routing.RouteTableHarness;

namespace Gateway.Core.Tests.Routing;

public class PathRewriteTests
{
    [Theory]
    [InlineData("/api", "/api/x", "/x")]
    [InlineData("/api", "/api/x/y/", "/x/y/")]
    [InlineData("/api", "/api", "/")]
    [InlineData("/api", "/api/", "/")]
    [InlineData("/api", "/API/x", "/x")]
    [InlineData("/api", "/apix", "/apix")]
    [InlineData("/api", "/apix/y", "/apix/y")]
    [InlineData("/api", "/ap", "/ap")]
    [InlineData("/api", "/other/api/x", "/other/api/x")]
    [InlineData("/api", "/", "/")]
    [InlineData("/api/v1", "/api/v1/users", "/users")]
    [InlineData("/api/v1", "/api/v2/users", "/api/v2/users")]
    [InlineData("/api/v1", "/api", "/api")]
    public void StripPrefixRemovesThePrefixAtASegmentBoundary(string prefix, string path, string expected)
    {
        Assert.Equal(expected, Apply(PathRewrite.StripPrefix(prefix), path, []));
    }

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("api")]
    [InlineData("/api/")]
    [InlineData("/a//b")]
    [InlineData("/{id}")]
    [InlineData("/a?b")]
    public void StripPrefixRejectsAPrefixThatIsNotLiteralSegments(string prefix)
    {
        var error = Assert.Throws<ArgumentException>(() => PathRewrite.StripPrefix(prefix));

        Assert.Contains($"\"{prefix}\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATemplateFillsParametersAndTheCatchAllFromTheMatchedPath()
    {
        var table = Table(Route("r", "/users/{id}/items/{*rest}"));
        var rewrite = PathRewrite.Template("/v2/users/{id}/orders/{*rest}", table.Routes[0].ParameterNames);

        Assert.Equal("/v2/users/42/orders/a/b%20c", Rewrite(table, rewrite, "/users/42/items/a/b%20c"));
        Assert.Equal("/v2/users/42/orders", Rewrite(table, rewrite, "/users/42/items"));
        Assert.Equal("/v2/users/42/orders", Rewrite(table, rewrite, "/users/42/items/"));
    }

    [Theory]
    [InlineData("/{*rest}", "/files", "/")]
    [InlineData("/{*rest}", "/files/a/b", "/a/b")]
    [InlineData("/", "/files/a/b", "/")]
    [InlineData("/static/", "/files/a", "/static/")]
    [InlineData("/{rest}", "/files", "/")]
    [InlineData("/x/{rest}/y", "/files/a/b", "/x/a/b/y")]
    public void TemplateEdgeCases(string template, string path, string expected)
    {
        var table = Table(Route("files", "/files/{*rest}"));

        Assert.Equal(expected, Rewrite(table, PathRewrite.Template(template, table.Routes[0].ParameterNames), path));
    }

    [Fact]
    public void ParametersCanBeReorderedAndRepeated()
    {
        var table = Table(Route("r", "/{a}/{b}"));
        var rewrite = PathRewrite.Template("/{b}/{a}/{b}", table.Routes[0].ParameterNames);

        Assert.Equal("/2/1/2", Rewrite(table, rewrite, "/1/2"));
    }

    [Theory]
    [InlineData("v2/{id}", "must start with '/'")]
    [InlineData("", "must start with '/'")]
    [InlineData("/v2/{name}", "uses parameter \"name\", which the route does not have (it has: id, rest)")]
    [InlineData("/v2/{ID}", "uses parameter \"ID\"")]
    [InlineData("/v2/x{id}", "a parameter must be a whole segment")]
    [InlineData("/v2/{}", "needs a parameter name")]
    [InlineData("/v2/{*rest}/x", "must be the last segment")]
    [InlineData("/v2?x=1", "'?' is not allowed")]
    public void AMalformedTemplateIsRejectedWithTheReason(string template, string reason)
    {
        var error = Assert.Throws<ArgumentException>(() => PathRewrite.Template(template, ["id", "rest"]));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATooSmallDestinationReturnsMinusOne()
    {
        var table = Table(Route("r", "/u/{id}"));
        var template = PathRewrite.Template("/users/{id}", table.Routes[0].ParameterNames);
        var strip = PathRewrite.StripPrefix("/u");
        var parameters = new[] { 3..6 };

        Assert.Equal(-1, template.Apply("/u/123"u8, parameters, new byte[9]));
        Assert.Equal(10, template.Apply("/u/123"u8, parameters, new byte[10]));
        Assert.Equal(-1, strip.Apply("/u/123"u8, parameters, new byte[3]));
        Assert.Equal(4, strip.Apply("/u/123"u8, parameters, new byte[4]));
        Assert.Equal(-1, strip.Apply("/u"u8, parameters, []));
    }

    private static string Rewrite(RouteTable<string> table, PathRewrite rewrite, string path)
    {
        var bytes = Encoding.ASCII.GetBytes(path);
        var parameters = new Range[RouteTable<string>.MaxParameters];
        Assert.Equal(RouteMatchStatus.Matched, table.Match(default, "GET"u8, bytes, parameters, out _, out _));
        return Apply(rewrite, path, parameters);
    }

    private static string Apply(PathRewrite rewrite, string path, Range[] parameters)
    {
        var destination = new byte[256];
        var written = rewrite.Apply(Encoding.ASCII.GetBytes(path), parameters, destination);
        return Encoding.ASCII.GetString(destination, 0, written);
    }
}
