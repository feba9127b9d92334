using System.Text.Json;
using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Admin;

/// <summary><c>GET /routes</c> lists the running frontends and routes: match, handler (cluster, respond or aggregate), steps in run order, cluster.</summary>
public sealed class RoutesEndpointTests
{
    internal static readonly string Config = """
        {
          "frontends": { "mobile": { "listen": ["http://127.0.0.1:0"] } },
          "rateLimits": { "plenty": { "permits": 1000, "period": "1h", "key": "Global" } },
          "routes": [
            { "id": "user", "match": { "path": "/users/{id}", "methods": ["GET"], "hosts": ["API.example.com"] }, "order": 3, "cluster": "users",
              "policies": { "rateLimit": ["plenty"], "ipFilter": { "allow": ["127.0.0.0/8"] } } },
            { "id": "moved", "match": { "path": "/old/{*rest}" }, "respond": { "status": 308 } },
            { "id": "dashboard", "match": { "path": "/dashboard/{id}" },
              "aggregate": { "parts": { "user": { "cluster": "users", "path": "/users/{id}" }, "orders": { "cluster": "users", "path": "/users/{id}/orders" } } } },
            { "id": "profile", "frontend": "mobile", "match": { "path": "/profile/{id}" }, "cluster": "users" }
          ],
          "clusters": { "users": { "destinations": ["http://127.0.0.1:1"] } }
        }
        """;

    [Fact]
    public async Task ListsFrontendsAndEveryRouteWithItsHandlerStepsAndCluster()
    {
        await using var gateway = await TestGateway.StartAsync(Configs.Parse(Config));

        var routes = await new AdminClient(gateway.AdminEndPoint).GetJsonAsync("/routes");

        var mobile = Assert.Single(routes.GetProperty("frontends").EnumerateArray());
        Assert.Equal(("mobile", true, 0), (mobile.GetProperty("name").GetString(), mobile.GetProperty("ownListeners").GetBoolean(), mobile.GetProperty("hosts").GetArrayLength()));
        var byId = routes.GetProperty("routes").EnumerateArray().ToDictionary(route => route.GetProperty("id").GetString()!);
        Assert.Equal(["user", "moved", "dashboard", "profile"], byId.Keys);

        var user = byId["user"];
        Assert.Equal(JsonValueKind.Null, user.GetProperty("frontend").ValueKind);
        var match = user.GetProperty("match");
        Assert.Equal("/users/{id}", match.GetProperty("path").GetString());
        Assert.Equal(["GET"], Strings(match.GetProperty("methods")));
        Assert.Equal(["api.example.com"], Strings(match.GetProperty("hosts")));
        Assert.Equal(3, match.GetProperty("order").GetInt32());
        Assert.Equal("users", user.GetProperty("handler").GetProperty("cluster").GetString());
        Assert.Equal(["ipFilter", "rateLimit"], Strings(user.GetProperty("steps")));
        Assert.Equal("users", user.GetProperty("cluster").GetString());

        Assert.Equal(308, byId["moved"].GetProperty("handler").GetProperty("respond").GetInt32());
        Assert.Equal(JsonValueKind.Null, byId["moved"].GetProperty("cluster").ValueKind);
        Assert.Empty(Strings(byId["moved"].GetProperty("steps")));
        Assert.Empty(Strings(byId["moved"].GetProperty("match").GetProperty("methods")));
        Assert.Equal(["user", "orders"], Strings(byId["dashboard"].GetProperty("handler").GetProperty("aggregate")));
        Assert.Equal("mobile", byId["profile"].GetProperty("frontend").GetString());
        Assert.Equal("users", byId["profile"].GetProperty("cluster").GetString());
    }

    /// <summary>The strings of a JSON array.</summary>
    internal static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(item => item.GetString()!)];
}
