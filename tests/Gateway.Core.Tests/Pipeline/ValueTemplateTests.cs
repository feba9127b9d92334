using System.Text;
using Gateway.Core.Http;
using Gateway.Core.Pipeline;
using Gateway.Core.Routing;

namespace Gateway.Core.Tests.Pipeline;

/// <summary>Header value templates: parameters filled as they arrived, and values a parameter would make unsafe refused.</summary>
public sealed class ValueTemplateTests
{
    [Theory]
    [InlineData("/v0/{*rest}", "/v1/{rest}", "/v0/a/b%20c", "/v1/a/b%20c")]
    [InlineData("/users/{id}", "user-{id}", "/users/7", "user-7")]
    [InlineData("/users/{id}", "{id}:{id}", "/users/7", "7:7")]
    [InlineData("/users/{id}", "plain", "/users/7", "plain")]
    [InlineData("/v0/{*rest}", "//cdn.example/{rest}", "/v0/x", "//cdn.example/x")] // the operator's own protocol-relative URL stands
    [InlineData("/v0/{*rest}", "https://cdn.example/{rest}", "/v0/https://x", "https://cdn.example/https://x")]
    [InlineData("/items/{id}", "{id}", "/items/urn:isbn:123", "urn:isbn:123")] // a scheme without // points nowhere
    public void AValueIsFilledWithTheParametersAsTheyArrived(string route, string template, string path, string expected)
    {
        var (context, value) = Fill(route, template, path);

        Assert.True(value.IsSafeFor(context));
        var fields = new FieldList();
        value.AddTo(fields, "X"u8.ToArray(), context);
        Assert.Equal(expected, Fields.Value(fields, "X"));
    }

    [Theory]
    [InlineData("/v0/{*rest}", "/{rest}", "/v0//evil.example")]
    [InlineData("/v0/{*rest}", "{rest}", "/v0///evil.example")]
    [InlineData("/go/{id}/{*rest}", "/{rest}/{id}", "/go/evil.example/")] // an empty parameter before a literal '/'
    [InlineData("/go/{*to}", "{to}", "/go/https://evil.example/x")]
    [InlineData("/go/{*to}", "{to}", "/go/HTTP://evil.example")]
    [InlineData("/go/{scheme}/{*rest}", "{scheme}://{rest}", "/go/https/evil.example")]
    public void AParameterThatWouldDecideWhereAUrlPointsIsUnsafe(string route, string template, string path)
    {
        var (context, value) = Fill(route, template, path);

        Assert.False(value.IsSafeFor(context));
    }

    [Fact]
    public void ABackslashNeverReachesATemplate() =>
        Assert.Throws<ArgumentException>(() => TestContexts.Head("GET /v0/\\evil.example HTTP/1.1\r\nHost: a\r\n\r\n"));

    [Theory]
    [InlineData("/v1/{nope}", "uses parameter \"nope\", which the route does not have (it has: id, rest)")]
    [InlineData("/v1/{id", "has a '{' without its '}'")]
    [InlineData("/v1/id}", "has a '}' without its '{'")]
    [InlineData("caf\u00e9", "holds a character a header value cannot carry")]
    [InlineData("a\r\nX-Injected: 1", "holds a character a header value cannot carry")]
    public void AMalformedTemplateIsRefusedWithTheReason(string template, string reason)
    {
        var error = Assert.Throws<ArgumentException>(() => ValueTemplate.Parse(template, ["id", "rest"]));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    private static (RequestContext Context, ValueTemplate Value) Fill(string routePath, string template, string path)
    {
        var context = TestContexts.For($"GET {path} HTTP/1.1\r\nHost: a\r\n\r\n");
        var table = RouteTable<string>.Build([new("r", routePath, [], [], 0, "r")]);
        Assert.Equal(RouteMatchStatus.Matched, table.Match("a"u8, "GET"u8, context.Head.PathBytes, context.Parameters, out var route, out _));
        return (context, ValueTemplate.Parse(template, route!.ParameterNames));
    }
}
