using System.Text.Json;
using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Admin;

/// <summary>
/// <c>GET /explain</c> finds the route the router would take and says why it wins over the other routes whose template
/// matches the path: a literal beats a parameter, a longer literal prefix wins, a method or host mismatch loses, a more
/// specific host and a lower order win; or why nothing matches (404, 405 with the allowed methods).
/// </summary>
public sealed class ExplainEndpointTests : IAsyncLifetime
{
    private TestGateway? _gateway;

    private AdminClient Admin => new(_gateway!.AdminEndPoint);

    public async Task InitializeAsync() => _gateway = await TestGateway.StartAsync(Configs.Parse("""
        {
          "frontends": { "mobile": { "listen": ["http://127.0.0.1:0"] }, "partners": { "hosts": ["partners.example.com"] } },
          "routes": [
            { "id": "me", "match": { "path": "/users/me", "methods": ["GET"] }, "cluster": "users" },
            { "id": "user", "match": { "path": "/users/{id}", "methods": ["GET"] }, "cluster": "users", "policies": { "ipFilter": { "allow": ["127.0.0.0/8"] } } },
            { "id": "user-update", "match": { "path": "/users/{id}", "methods": ["PUT"] }, "cluster": "users" },
            { "id": "api-user", "match": { "path": "/users/{id}", "methods": ["GET"], "hosts": ["api.example.com"] }, "cluster": "users" },
            { "id": "docs", "match": { "path": "/files/docs/{*rest}" }, "cluster": "users" },
            { "id": "files", "match": { "path": "/files/{*rest}" }, "cluster": "users" },
            { "id": "v1-first", "match": { "path": "/v1/{*rest}" }, "order": 1, "cluster": "users" },
            { "id": "v1-second", "match": { "path": "/v1/{*rest}" }, "order": 2, "cluster": "users" },
            { "id": "profile", "frontend": "mobile", "match": { "path": "/profile/{id}" }, "cluster": "users" },
            { "id": "partner-user", "frontend": "partners", "match": { "path": "/users/{id}" }, "cluster": "users" }
          ],
          "clusters": { "users": { "destinations": ["http://127.0.0.1:1"] } }
        }
        """));

    public Task DisposeAsync() => _gateway!.DisposeAsync().AsTask();

    [Fact]
    public async Task LiteralBeatsParameterAndOtherMethodsAndHostsLose()
    {
        var explained = await Admin.GetJsonAsync("/explain?method=GET&host=www.example.com&path=/users/me");

        Assert.Equal(("matched", "me"), (explained.GetProperty("match").GetString(), explained.GetProperty("route").GetString()));
        Assert.Empty(explained.GetProperty("params").EnumerateObject());
        var candidates = Candidates(explained);
        Assert.Equal(["me", "user", "user-update", "api-user"], candidates.Keys);
        Assert.True(candidates["me"].GetProperty("wins").GetBoolean());
        Assert.Contains("\"/users/me\" is more specific", Reason(candidates["user"]), StringComparison.Ordinal);
        Assert.Contains("accepts PUT, not GET", Reason(candidates["user-update"]), StringComparison.Ordinal);
        Assert.Contains("do not match host \"www.example.com\"", Reason(candidates["api-user"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ParameterRouteGivesItsParametersStepsAndDestinations()
    {
        var explained = await Admin.GetJsonAsync("/explain?method=GET&host=www.example.com:8080&path=/users/%37");

        Assert.Equal("user", explained.GetProperty("route").GetString());
        Assert.Equal("7", explained.GetProperty("params").GetProperty("id").GetString());
        Assert.Equal("/users/7", explained.GetProperty("path").GetString());
        Assert.Equal(["ipFilter"], RoutesEndpointTests.Strings(explained.GetProperty("steps")));
        Assert.Equal("users", explained.GetProperty("cluster").GetString());
        Assert.Single(explained.GetProperty("destinations").EnumerateArray());
        Assert.False(Candidates(explained)["user-update"].GetProperty("wins").GetBoolean());
    }

    [Fact]
    public async Task MoreSpecificHostWins()
    {
        var explained = await Admin.GetJsonAsync("/explain?method=GET&host=API.example.com&path=/users/7");

        Assert.Equal("api-user", explained.GetProperty("route").GetString());
        Assert.Contains("names a more specific host", Reason(Candidates(explained)["user"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LongerLiteralPrefixWins()
    {
        var explained = await Admin.GetJsonAsync("/explain?method=GET&path=/files/docs/a/b");

        Assert.Equal("docs", explained.GetProperty("route").GetString());
        Assert.Equal("a/b", explained.GetProperty("params").GetProperty("rest").GetString());
        Assert.Contains("\"/files/docs/{*rest}\" is more specific", Reason(Candidates(explained)["files"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LowerOrderWins()
    {
        var explained = await Admin.GetJsonAsync("/explain?method=POST&path=/v1/orders");

        Assert.Equal("v1-first", explained.GetProperty("route").GetString());
        Assert.Contains("order 2 is after 1", Reason(Candidates(explained)["v1-second"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MethodMismatchIs405WithTheAllowedMethods()
    {
        var explained = await Admin.GetJsonAsync("/explain?method=DELETE&path=/users/7");

        Assert.Equal(("methodNotAllowed", 405), (explained.GetProperty("match").GetString(), explained.GetProperty("status").GetInt32()));
        Assert.Equal(["GET", "PUT"], explained.GetProperty("allow").GetString()!.Split(", ").Order());
        Assert.False(explained.TryGetProperty("route", out _));
        Assert.All(Candidates(explained).Values, candidate => Assert.False(candidate.GetProperty("wins").GetBoolean()));
    }

    [Fact]
    public async Task NoMatchingTemplateIs404()
    {
        var explained = await Admin.GetJsonAsync("/explain?method=GET&path=/nothing/here");

        Assert.Equal(("notFound", 404), (explained.GetProperty("match").GetString(), explained.GetProperty("status").GetInt32()));
        Assert.Empty(Candidates(explained));
    }

    [Fact]
    public async Task ListenerChoosesTheFrontendsTable()
    {
        var onMobile = await Admin.GetJsonAsync("/explain?method=GET&path=/profile/3&listener=mobile");
        var onDefault = await Admin.GetJsonAsync("/explain?method=GET&path=/profile/3");

        Assert.Equal(("mobile", "profile"), (onMobile.GetProperty("frontend").GetString(), onMobile.GetProperty("route").GetString()));
        Assert.Equal(JsonValueKind.Null, onDefault.GetProperty("frontend").ValueKind);
        Assert.Equal("notFound", onDefault.GetProperty("match").GetString());
    }

    [Fact]
    public async Task HostClaimedByAFrontendUsesItsTable()
    {
        var explained = await Admin.GetJsonAsync("/explain?method=GET&host=partners.example.com&path=/users/7");

        Assert.Equal(("partners", "partner-user"), (explained.GetProperty("frontend").GetString(), explained.GetProperty("route").GetString()));
        Assert.Equal(["partner-user"], Candidates(explained).Keys);
    }

    [Theory]
    [InlineData("/explain?method=GET")]
    [InlineData("/explain?path=/users/7")]
    [InlineData("/explain?method=G%20T&path=/users/7")]
    [InlineData("/explain?method=GET&path=users")]
    [InlineData("/explain?method=GET&path=/a%252Fb")]
    [InlineData("/explain?method=GET&path=/users/7&listener=nope")]
    public async Task MissingOrBadQueryIs400(string target) => Problem.AssertBody(400, await Admin.GetAsync(target));

    private static Dictionary<string, JsonElement> Candidates(JsonElement explained) =>
        explained.GetProperty("candidates").EnumerateArray().ToDictionary(candidate => candidate.GetProperty("route").GetString()!);

    private static string Reason(JsonElement candidate) => candidate.GetProperty("reason").GetString()!;
}
