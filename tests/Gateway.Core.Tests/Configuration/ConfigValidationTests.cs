using Gateway.Core.Configuration;

namespace Gateway.Core.Tests.Configuration;

/// <summary>The validation rules: each broken rule is reported at the JSON path of the offending value, saying what is wrong.</summary>
public sealed class ConfigValidationTests
{
    private const string UsersCluster = """ "users": { "destinations": ["http://10.0.0.5:5001"] } """;
    private const string UserRoute = """{ "id": "user", "match": { "path": "/users/{id}" }, "cluster": "users" }""";

    [Fact]
    public void AValidConfigPasses() => Assert.Single(ConfigLoader.Parse(Config(UserRoute), "test.json").Routes);

    [Fact]
    public void AtLeastOneRouteIsRequired() =>
        ConfigAssert.ParseFails($$"""{ "routes": [], "clusters": { {{UsersCluster}} } }""", "$.routes", "at least one route is required");

    [Fact]
    public void RoutesAreRequired() =>
        ConfigAssert.ParseFails($$"""{ "clusters": { {{UsersCluster}} } }""", "$.routes", "at least one route is required");

    [Fact]
    public void RouteIdsAreUnique() =>
        ConfigAssert.ParseFails(Config(UserRoute, """{ "id": "other", "match": { "path": "/b" }, "cluster": "users" }""", UserRoute),
            "$.routes[2].id", "duplicate route id \"user\" (already used by $.routes[0])");

    [Theory]
    [InlineData("""null""", "$.routes[0]", "expected a route object, got null")]
    [InlineData("""{ "match": { "path": "/a" }, "cluster": "users" }""", "$.routes[0].id", "a route needs a non-empty id")]
    [InlineData("""{ "id": " ", "match": { "path": "/a" }, "cluster": "users" }""", "$.routes[0].id", "a route needs a non-empty id")]
    [InlineData("""{ "id": "a", "cluster": "users" }""", "$.routes[0].match.path", "a route needs \"match\": { \"path\": \"/...\" }")]
    [InlineData("""{ "id": "a", "match": {}, "cluster": "users" }""", "$.routes[0].match.path", "a route needs \"match\": { \"path\": \"/...\" }")]
    [InlineData("""{ "id": "a", "match": { "path": "users/{id}" }, "cluster": "users" }""", "$.routes[0].match.path", "path \"users/{id}\" must start with '/'")]
    [InlineData("""{ "id": "a", "match": { "path": "/a" } }""", "$.routes[0]", "a route needs one handler: \"cluster\" (forward; defined clusters: \"users\"), \"respond\" (answer directly) or \"aggregate\"")]
    [InlineData("""{ "id": "a", "match": { "path": "/a" }, "cluster": "users", "respond": { "status": 200 } }""", "$.routes[0]", "a route has one handler: \"cluster\", \"respond\" or \"aggregate\", not several")]
    [InlineData("""{ "id": "a", "match": { "path": "/a" }, "respond": { "status": 101 } }""", "$.routes[0].respond.status", "status must be between 200 and 599, got 101")]
    [InlineData("""{ "id": "a", "match": { "path": "/a" }, "respond": { "status": 204, "body": "x" } }""", "$.routes[0].respond.body", "a 204 response has no body")]
    [InlineData("""{ "id": "a", "match": { "path": "/a" }, "respond": { "status": 200, "headers": { "Content-Length": "5" } } }""", "$.routes[0].respond.headers.Content-Length", "\"Content-Length\" is a field the gateway owns")]
    [InlineData("""{ "id": "a", "match": { "path": "/a" }, "respond": { "status": 200, "headers": { "Bad Name": "x" } } }""", "$.routes[0].respond.headers['Bad Name']", "\"Bad Name\" is not a header field name")]
    [InlineData("""{ "id": "a", "match": { "path": "/a" }, "respond": { "status": 200, "headers": { "X-A": null } } }""", "$.routes[0].respond.headers.X-A", "expected a string, got null")]
    [InlineData("""{ "id": "a", "match": { "path": "/a" }, "cluster": "users", "transforms": { "request": { "set": { "X-A": null } } } }""", "$.routes[0].transforms.request.set.X-A", "expected a string, got null")]
    [InlineData("""{ "id": "a", "match": { "path": "/a" }, "respond": { "status": 200, "contentType": "text/plain", "headers": { "content-type": "x" } } }""", "$.routes[0].respond.headers.content-type", "Content-Type is given by \"contentType\" already")]
    [InlineData("""{ "id": "a", "match": { "path": "/a" }, "respond": { "status": 308 }, "rewrite": { "path": "/b" } }""", "$.routes[0].rewrite", "a rewrite applies to forwarded requests")]
    [InlineData("""{ "id": "a", "match": { "path": "/a" }, "cluster": "users", "transforms": { "request": { "set": { "Host": "evil" } } } }""", "$.routes[0].transforms.request.set.Host", "\"Host\" is a field the gateway owns")]
    [InlineData("""{ "id": "a", "match": { "path": "/a" }, "cluster": "users", "transforms": { "request": { "remove": ["X-Debug", "Transfer-Encoding"] } } }""", "$.routes[0].transforms.request.remove[1]", "\"Transfer-Encoding\" is a field the gateway owns")]
    [InlineData("""{ "id": "a", "match": { "path": "/a" }, "cluster": "users", "transforms": { "request": { "set": { "X-Forwarded-For": "1.2.3.4" } } } }""", "$.routes[0].transforms.request.set.X-Forwarded-For", "\"X-Forwarded-For\" is a field the gateway owns")]
    [InlineData("""{ "id": "a", "match": { "path": "/a" }, "cluster": "users", "transforms": { "response": { "remove": ["Via"] } } }""", "$.routes[0].transforms.response.remove[0]", "\"Via\" is a field the gateway owns")]
    [InlineData("""{ "id": "a", "match": { "path": "/a" }, "cluster": "users", "transforms": { "response": { "set": { "Connection": "close" } } } }""", "$.routes[0].transforms.response.set.Connection", "\"Connection\" is a field the gateway owns")]
    [InlineData("""{ "id": "a", "match": { "path": "/a" }, "cluster": "userz" }""", "$.routes[0].cluster", "unknown cluster \"userz\"; defined clusters: \"users\"")]
    [InlineData("""{ "id": "a", "match": { "path": "/a", "methods": [""] }, "cluster": "users" }""", "$.routes[0].match.methods[0]", "a method must not be empty")]
    [InlineData("""{ "id": "a", "match": { "path": "/a", "methods": [null] }, "cluster": "users" }""", "$.routes[0].match.methods[0]", "a method must not be empty")]
    [InlineData("""{ "id": "a", "match": { "path": "/a", "methods": ["GET", "GE T"] }, "cluster": "users" }""", "$.routes[0].match.methods[1]", "\"GE T\" is not an HTTP method token")]
    [InlineData("""{ "id": "a", "match": { "path": "/a", "methods": ["GET,POST"] }, "cluster": "users" }""", "$.routes[0].match.methods[0]", "\"GET,POST\" is not an HTTP method token")]
    [InlineData("""{ "id": "a", "match": { "path": "/a", "hosts": [""] }, "cluster": "users" }""", "$.routes[0].match.hosts[0]", "a host must not be empty")]
    [InlineData("""{ "id": "a", "match": { "path": "/a", "hosts": ["a.example.com", "api.example.com:443"] }, "cluster": "users" }""", "$.routes[0].match.hosts[1]", "host \"api.example.com:443\" must not include a port")]
    [InlineData("""{ "id": "a", "match": { "path": "/a", "hosts": ["https://api.example.com"] }, "cluster": "users" }""", "$.routes[0].match.hosts[0]", "host \"https://api.example.com\" must not include a scheme")]
    [InlineData("""{ "id": "a", "match": { "path": "/a", "hosts": ["api example.com"] }, "cluster": "users" }""", "$.routes[0].match.hosts[0]", "host \"api example.com\" is not a host name")]
    [InlineData("""{ "id": "a", "match": { "path": "/a", "hosts": ["api..example.com"] }, "cluster": "users" }""", "$.routes[0].match.hosts[0]", "host \"api..example.com\" is not a host name")]
    [InlineData("""{ "id": "a", "match": { "path": "/a", "hosts": ["*"] }, "cluster": "users" }""", "$.routes[0].match.hosts[0]", "host \"*\" is not a host name")]
    [InlineData("""{ "id": "a", "match": { "path": "/a", "hosts": ["api.*.com"] }, "cluster": "users" }""", "$.routes[0].match.hosts[0]", "host \"api.*.com\" is not a host name")]
    [InlineData("""{ "id": "a", "match": { "path": "/a", "hosts": ["example.com/a"] }, "cluster": "users" }""", "$.routes[0].match.hosts[0]", "host \"example.com/a\" is not a host name")]
    [InlineData("""{ "id": "a", "match": { "path": "/a" }, "cluster": "users", "rewrite": {} }""", "$.routes[0].rewrite", "set exactly one of \"stripPrefix\" or \"path\"")]
    [InlineData("""{ "id": "a", "match": { "path": "/a" }, "cluster": "users", "rewrite": { "stripPrefix": "/a", "path": "/b" } }""", "$.routes[0].rewrite", "set exactly one of \"stripPrefix\" or \"path\"")]
    [InlineData("""{ "id": "a", "match": { "path": "/a" }, "cluster": "users", "rewrite": { "stripPrefix": "api" } }""", "$.routes[0].rewrite.stripPrefix", "stripPrefix \"api\" must start with '/'")]
    [InlineData("""{ "id": "a", "match": { "path": "/a" }, "cluster": "users", "rewrite": { "path": "v1/a" } }""", "$.routes[0].rewrite.path", "path \"v1/a\" must start with '/'")]
    public void RouteRuleIsEnforced(string route, string path, string reason) =>
        ConfigAssert.ParseFails(Config(route), path, reason);

    [Fact]
    public void UnknownClusterSaysWhenNoneIsDefined() =>
        ConfigAssert.ParseFails($$"""{ "routes": [{{UserRoute}}] }""", "$.routes[0].cluster", "unknown cluster \"users\"; no clusters are defined");

    [Theory]
    [InlineData("""{ "id": "a", "match": { "path": "/", "methods": ["GET", "M-SEARCH", "get", "X~!#$%&'*+.^_`|"] }, "cluster": "users" }""")]
    [InlineData("""{ "id": "a", "match": { "path": "/", "hosts": ["localhost", "api.example.com", "*.example.org", "10.0.0.1", "x-1.EXAMPLE.com"] }, "cluster": "users" }""")]
    [InlineData("""{ "id": "a", "match": { "path": "/" }, "cluster": "users", "rewrite": { "stripPrefix": "/api" } }""")]
    [InlineData("""{ "id": "a", "match": { "path": "/{*rest}" }, "cluster": "users", "rewrite": { "path": "/v1/{*rest}" } }""")]
    public void ValidRouteValuesPass(string route) => Assert.Single(ConfigLoader.Parse(Config(route), "test.json").Routes);

    [Theory]
    [InlineData("""null""", "$.clusters.users", "expected a cluster object, got null")]
    [InlineData("""{}""", "$.clusters.users.destinations", "a cluster needs at least one destination URL")]
    [InlineData("""{ "destinations": [] }""", "$.clusters.users.destinations", "a cluster needs at least one destination URL")]
    [InlineData("""{ "destinations": [""] }""", "$.clusters.users.destinations[0]", "a destination URL must not be empty")]
    [InlineData("""{ "destinations": ["http://h:1", "ftp://h:1"] }""", "$.clusters.users.destinations[1]", "\"ftp://h:1\" is not an absolute http:// or https:// URL")]
    [InlineData("""{ "destinations": ["/users"] }""", "$.clusters.users.destinations[0]", "\"/users\" is not an absolute http:// or https:// URL")]
    [InlineData("""{ "destinations": ["10.0.0.5:5001"] }""", "$.clusters.users.destinations[0]", "\"10.0.0.5:5001\" is not an absolute http:// or https:// URL")]
    [InlineData("""{ "destinations": ["localhost:5001"] }""", "$.clusters.users.destinations[0]", "\"localhost:5001\" is not an absolute http:// or https:// URL")]
    [InlineData("""{ "destinations": ["http://"] }""", "$.clusters.users.destinations[0]", "\"http://\" is not an absolute http:// or https:// URL")]
    [InlineData("""{ "destinations": ["http://h:0"] }""", "$.clusters.users.destinations[0]", "\"http://h:0\" has port 0")]
    [InlineData("""{ "destinations": ["http://h:70000"] }""", "$.clusters.users.destinations[0]", "is not an absolute http:// or https:// URL")]
    [InlineData("""{ "destinations": ["http://h:1/?a=1"] }""", "$.clusters.users.destinations[0]", "\"http://h:1/?a=1\" must not have a query")]
    [InlineData("""{ "destinations": ["http://h:1/?"] }""", "$.clusters.users.destinations[0]", "must not have a query")]
    [InlineData("""{ "destinations": ["http://h:1/#top"] }""", "$.clusters.users.destinations[0]", "\"http://h:1/#top\" must not have a fragment")]
    [InlineData("""{ "destinations": ["http://user:secret@h:1"] }""", "$.clusters.users.destinations[0]", "must not contain user info")]
    [InlineData("""{ "destinations": ["http://@h:1"] }""", "$.clusters.users.destinations[0]", "must not contain user info")]
    [InlineData("""{ "destinations": [" http://h:1"] }""", "$.clusters.users.destinations[0]", "must not contain spaces or control characters")]
    [InlineData("""{ "destinations": ["http://h:1/a b"] }""", "$.clusters.users.destinations[0]", "must not contain spaces or control characters")]
    [InlineData("""{ "destinations": ["http://h:1"], "timeout": "soon" }""", "$.clusters.users.timeout", "expected a duration such as \"250ms\", \"30s\", \"5m\" or \"1h\", got \"soon\"")]
    [InlineData("""{ "destinations": ["http://h:1"], "timeout": "-5s" }""", "$.clusters.users.timeout", "expected a duration")]
    [InlineData("""{ "destinations": ["http://h:1"], "timeout": "" }""", "$.clusters.users.timeout", "expected a duration")]
    [InlineData("""{ "destinations": ["http://h:1"], "timeout": "0s" }""", "$.clusters.users.timeout", "\"0s\" must be greater than zero")]
    public void ClusterRuleIsEnforced(string cluster, string path, string reason) =>
        ConfigAssert.ParseFails(ConfigWith(UserRoute, $"\"users\": {cluster}"), path, reason);

    [Theory]
    [InlineData("http://10.0.0.5:5001")]
    [InlineData("https://api.internal")]
    [InlineData("http://h:1/base")]
    [InlineData("http://h:1/base/")]
    [InlineData("HTTP://H:1")]
    [InlineData("http://[::1]:5001")]
    public void ValidDestinationsPass(string destination) =>
        Assert.Single(ConfigLoader.Parse(ConfigWith(UserRoute, $$"""
            "users": { "destinations": ["{{destination}}"] }
            """), "test.json").Clusters);

    [Fact]
    public void ClusterPathsUseBracketsForNamesWithDots() =>
        ConfigAssert.ParseFails(ConfigWith("""{ "id": "a", "match": { "path": "/" }, "cluster": "users.v2" }""",
            """ "users.v2": { "destinations": [] } """), "$.clusters['users.v2'].destinations", "at least one destination");

    [Fact]
    public void RoutesAreCheckedBeforeClusters() =>
        ConfigAssert.ParseFails(ConfigWith("""{ "id": "a", "match": { "path": "a" }, "cluster": "users" }""",
            """ "users": { "destinations": [] } """), "$.routes[0].match.path", "must start with '/'");

    private static string Config(params string[] routes) => ConfigWith(string.Join(", ", routes), UsersCluster);

    private static string ConfigWith(string routes, string clusters) => $$"""
        { "routes": [{{routes}}], "clusters": { {{clusters}} } }
        """;
}
