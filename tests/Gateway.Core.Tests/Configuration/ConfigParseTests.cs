using Gateway.Core.Configuration;

namespace Gateway.Core.Tests.Configuration;

/// <summary>Reading the JSON file into the model: syntax, names, types and the errors they produce.</summary>
public sealed class ConfigParseTests
{
    [Fact]
    public void ReadsEveryPropertyOfTheModel()
    {
        var config = ConfigLoader.Parse("""
            {
              "$schema": "./gateway.schema.json",
              "routes": [
                { "id": "user", "match": { "path": "/users/{id}", "methods": ["GET"], "hosts": ["api.example.com", "*.example.org"] },
                  "cluster": "users", "order": 3, "rewrite": { "stripPrefix": "/api" } },
                { "id": "order", "match": { "path": "/orders/{id}" }, "cluster": "users", "rewrite": { "path": "/v1/orders/{id}" } }
              ],
              "clusters": {
                "users": { "destinations": ["http://10.0.0.5:5001", "https://10.0.0.6:5001/base"], "loadBalancing": "PowerOfTwoChoices", "timeout": "30s" }
              }
            }
            """, "test.json");

        var user = config.Routes[0];
        Assert.Equal("user", user.Id);
        Assert.Equal("/users/{id}", user.Match.Path);
        Assert.Equal(["GET"], user.Match.Methods);
        Assert.Equal(["api.example.com", "*.example.org"], user.Match.Hosts);
        Assert.Equal("users", user.Cluster);
        Assert.Equal(3, user.Order);
        Assert.Equal("/api", user.Rewrite?.StripPrefix);
        Assert.Null(user.Rewrite?.Path);

        var order = config.Routes[1];
        Assert.Empty(order.Match.Methods);
        Assert.Empty(order.Match.Hosts);
        Assert.Equal(0, order.Order);
        Assert.Equal("/v1/orders/{id}", order.Rewrite?.Path);

        var users = config.Clusters["users"];
        Assert.Equal(["http://10.0.0.5:5001", "https://10.0.0.6:5001/base"], users.Destinations.Select(d => d.Url));
        Assert.Equal(LoadBalancingMode.PowerOfTwoChoices, users.LoadBalancing.Policy);
        Assert.Equal("30s", users.Timeout);
    }

    [Fact]
    public void DefaultsApplyToLeftOutOptionalProperties()
    {
        var config = ConfigLoader.Parse("""
            { "routes": [{ "id": "a", "match": { "path": "/" }, "cluster": "c" }], "clusters": { "c": { "destinations": ["http://h:1"] } } }
            """, "test.json");

        Assert.Null(config.Routes[0].Rewrite);
        Assert.Equal(LoadBalancingMode.RoundRobin, config.Clusters["c"].LoadBalancing.Policy);
        Assert.Null(config.Clusters["c"].Timeout);
    }

    [Fact]
    public void CommentsAndTrailingCommasAreAllowed()
    {
        var config = ConfigLoader.Parse("""
            // the demo
            {
              "routes": [
                { "id": "a", "match": { "path": "/a", }, "cluster": "c", }, /* the only route */
              ],
              "clusters": { "c": { "destinations": ["http://h:1",], }, },
            }
            """, "test.json");

        Assert.Equal("a", Assert.Single(config.Routes).Id);
    }

    [Theory]
    [InlineData("random", LoadBalancingMode.Random)]
    [InlineData("powerOfTwoChoices", LoadBalancingMode.PowerOfTwoChoices)]
    [InlineData("FIRST", LoadBalancingMode.First)]
    public void LoadBalancingNamesAreCaseInsensitive(string written, LoadBalancingMode expected)
    {
        var config = ConfigLoader.Parse(Cluster($$"""{ "destinations": ["http://h:1"], "loadBalancing": "{{written}}" }"""), "test.json");

        Assert.Equal(expected, config.Clusters["c"].LoadBalancing.Policy);
    }

    [Theory]
    [InlineData("\"Sticky\"")]
    [InlineData("1")]
    [InlineData("\"1\"")]
    [InlineData("\"-1\"")]
    [InlineData("\" 1\"")]
    [InlineData("\" Random\"")]
    [InlineData("\"Random,First\"")]
    [InlineData("\"\"")]
    [InlineData("[]")]
    public void LoadBalancingAcceptsOnlyTheNames(string written) =>
        ConfigAssert.ParseFails(Cluster($$"""{ "destinations": ["http://h:1"], "loadBalancing": {{written}} }"""), "$.clusters.c.loadBalancing",
            "expected one of \"RoundRobin\", \"PowerOfTwoChoices\", \"Random\", \"First\", \"LeastRequests\", \"ConsistentHash\", or an object { \"policy\", ... }");

    [Fact]
    public void UnknownPropertyIsRejectedAtItsPathWithTheKnownNames() =>
        ConfigAssert.ParseFails("""{ "routes": [{ "id": "a", "match": { "pth": "/a" }, "cluster": "c" }], "clusters": {} }""",
            "$.routes[0].match.pth", "unknown property \"pth\" (expected one of \"path\", \"methods\", \"hosts\")");

    [Fact]
    public void PropertyNamesAreCaseSensitive() =>
        ConfigAssert.ParseFails("""{ "Routes": [] }""", "$.Routes", "unknown property \"Routes\"");

    [Fact]
    public void UnknownPropertyOfAClusterWithADottedNameUsesBracketNotation() =>
        ConfigAssert.ParseFails(Cluster("""{ "destinations": ["http://h:1"], "timeoutt": "1s" }""", name: "a.b"),
            "$.clusters['a.b'].timeoutt", "unknown property \"timeoutt\"");

    [Theory]
    [InlineData("""{ "routes": [{ "id": 5 }] }""", "$.routes[0].id", "expected a string")]
    [InlineData("""{ "routes": [{ "order": "1" }] }""", "$.routes[0].order", "expected an integer")]
    [InlineData("""{ "routes": [{ "order": 1.5 }] }""", "$.routes[0].order", "expected an integer")]
    [InlineData("""{ "routes": [{ "match": "/a" }] }""", "$.routes[0].match", "expected an object")]
    [InlineData("""{ "routes": [{ "match": { "methods": "GET" } }] }""", "$.routes[0].match.methods", "expected an array")]
    [InlineData("""{ "routes": {} }""", "$.routes", "expected an array")]
    [InlineData("""{ "clusters": { "c": { "destinations": [1] } } }""", "$.clusters.c.destinations[0]", "expected a destination URL")]
    [InlineData("""{ "clusters": [] }""", "$.clusters", "expected an object")]
    [InlineData("[]", "$", "expected an object")]
    [InlineData("""{ "clusters": { "c": { "destinations": ["http://h:1"], "connections": { "max": "x" } } } }""", "$.clusters.c.connections.max", "expected an integer")]
    [InlineData("""{ "routes": [{ "retry": { "idempotencyKey": "yes" } }] }""", "$.routes[0].retry.idempotencyKey", "expected true or false")]
    [InlineData("""{ "clusters": { "c": { "destinations": ["http://h:1"], "loadBalancing": { "policy": "ConsistentHash", "key": "Sticky" } } } }""",
        "$.clusters.c.loadBalancing.key", "expected one of \"Header\", \"Cookie\", \"ClientIp\"")]
    public void WrongJsonTypeIsReportedWithTheExpectedType(string json, string path, string reason) =>
        ConfigAssert.ParseFails(json, path, reason);

    [Theory]
    [InlineData("""{ "routes": [{ "id": null }] }""", "$.routes[0].id", "expected a string")]
    [InlineData("""{ "routes": [{ "match": null }] }""", "$.routes[0].match", "expected an object")]
    [InlineData("""{ "routes": null }""", "$.routes", "expected an array")]
    [InlineData("""{ "clusters": { "c": { "destinations": null } } }""", "$.clusters.c.destinations", "expected an array")]
    public void NullIsRejectedWhereTheModelHasNoNull(string json, string path, string reason) =>
        ConfigAssert.ParseFails(json, path, reason);

    [Theory]
    [InlineData("""{ "clusters": { "c": { "destinations": ["http://h:1"], "loadBalancing": { "policy": "First,LeastRequests" } } } }""", "$.clusters.c.loadBalancing.policy")]
    [InlineData("""{ "clusters": { "c": { "destinations": ["http://h:1"], "loadBalancing": { "policy": "ConsistentHash", "key": "Cookie,ClientIp" } } } }""", "$.clusters.c.loadBalancing.key")]
    [InlineData("""{ "rateLimits": { "r": { "permits": 1, "period": "1s", "key": " Header" } } }""", "$.rateLimits.r.key")]
    [InlineData("""{ "rateLimits": { "r": { "permits": 1, "period": "1s", "scope": "1" } } }""", "$.rateLimits.r.scope")]
    public void AnEnumIsReadFromExactlyOneOfItsNames(string json, string path) => ConfigAssert.ParseFails(json, path, "expected one of");

    [Fact]
    public void ASyntaxErrorInsideADestinationObjectIsReportedAsInvalidJson() =>
        ConfigAssert.ParseFails("""{ "clusters": { "c": { "destinations": [{ "url": "http://h:1" "weight": 2 }] } } }""", "$", "invalid JSON at line 1");

    [Fact]
    public void NullDocumentIsRejected() => ConfigAssert.ParseFails("null", "$", "expected an object");

    [Fact]
    public void DuplicatePropertyIsRejected() =>
        ConfigAssert.ParseFails("""{ "routes": [{ "id": "a", "id": "b" }] }""", "$.routes[0].id", "duplicate property \"id\"");

    [Fact]
    public void DuplicateClusterNameIsRejected() =>
        ConfigAssert.ParseFails("""{ "clusters": { "c": { "destinations": ["http://h:1"] }, "c": { "destinations": ["http://h:2"] } } }""",
            "$.clusters.c", "duplicate property \"c\"");

    [Fact]
    public void InvalidJsonNamesTheLineAndColumn()
    {
        var error = ConfigAssert.ParseFails("{\n  \"routes\": [\n    { \"id\": \"a\"\n      \"cluster\": \"c\" }\n  ]\n}",
            "$.routes[0]", "invalid JSON at line 4, column 7:");

        Assert.Contains("'\"' is invalid after a value", error.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "$")]
    [InlineData("{ \"routes\": [", "$.routes[0]")]
    [InlineData("{} extra", "$")]
    public void TruncatedOrTrailingTextIsInvalidJson(string json, string path) =>
        ConfigAssert.ParseFails(json, path, "invalid JSON at line 1");

    [Fact]
    public void ErrorsNameTheSourceAndComposeOneMessage()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("""{ "routes": [] }""", "/etc/gateway.json"));

        Assert.Equal("/etc/gateway.json", error.Origin);
        Assert.Equal("/etc/gateway.json: $.routes: at least one route is required", error.Message);
    }

    private static string Cluster(string cluster, string name = "c") => $$"""
        { "routes": [{ "id": "a", "match": { "path": "/" }, "cluster": "{{name}}" }], "clusters": { "{{name}}": {{cluster}} } }
        """;
}
