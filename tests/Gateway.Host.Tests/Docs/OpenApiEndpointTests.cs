using System.Text.Json;
using Gateway.Host.Tests.Infrastructure;
using Microsoft.OpenApi;

namespace Gateway.Host.Tests.Docs;

/// <summary>
/// <c>GET /openapi.json</c> and <c>/openapi/NAME.json</c>, read back with Microsoft.OpenApi: the routes' paths, parameters,
/// methods and security, the handlers, rate limits and caches as <c>x-</c> extensions, and the operations of a real upstream's own
/// document merged in at their public paths; <c>GET /diagram</c>; and the admin token guarding them.
/// </summary>
public sealed class OpenApiEndpointTests(DocsGateway docs) : IClassFixture<DocsGateway>
{
    private AdminClient Admin => new(docs.Gateway.AdminEndPoint);

    [Fact]
    public async Task TheDefaultFrontendsDocumentReadsBackWithoutErrorsAndHoldsItsRoutes()
    {
        var document = await ReadAsync("/openapi.json");

        Assert.Equal(
            ["/dashboard/{userId}", "/files/{rest}", "/shop/item/{id}", "/store/items", "/store/items/{itemId}", "/users/{id}", "/v0/{rest}"],
            document.Paths.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(document.Validate(ValidationRuleSet.GetDefaultRuleSet()) ?? []);

        var user = document.Paths["/users/{id}"];
        Assert.Equal(["DELETE", "GET"], user.Operations!.Keys.Select(method => method.Method).Order(StringComparer.Ordinal));
        var get = user.Operations[HttpMethod.Get];
        var id = Assert.Single(get.Parameters!);
        Assert.Equal(("id", ParameterLocation.Path, true), (id.Name, id.In, id.Required));
        var requirement = Assert.Single(get.Security!);
        Assert.Equal("keys", Assert.Single(requirement.Keys).Reference.Id);
        var scheme = document.Components!.SecuritySchemes!["keys"];
        Assert.Equal((SecuritySchemeType.ApiKey, ParameterLocation.Header, "X-Api-Key"), (scheme.Type, scheme.In, scheme.Name));
        Assert.Contains("429", get.Responses!.Keys);

        Assert.Equal(["DELETE", "GET", "PATCH", "POST", "PUT"], document.Paths["/files/{rest}"].Operations!.Keys.Select(m => m.Method).Order(StringComparer.Ordinal));
        Assert.Equal("rest", Assert.Single(document.Paths["/files/{rest}"].Operations![HttpMethod.Get].Parameters!).Name);
        Assert.Contains("308", document.Paths["/v0/{rest}"].Operations![HttpMethod.Get].Responses!.Keys);
    }

    [Fact]
    public async Task ExtensionsCarryHostsStepsRateLimitsCachesAggregatesAndDirectResponses()
    {
        var paths = (await Admin.GetJsonAsync("/openapi.json")).GetProperty("paths");

        var user = paths.GetProperty("/users/{id}").GetProperty("get");
        Assert.Equal("user", user.GetProperty("x-route").GetString());
        Assert.Equal(["api.example.com"], user.GetProperty("x-hosts").EnumerateArray().Select(h => h.GetString()));
        Assert.Equal(["authentication(keys)", "rateLimit(per-client)"], user.GetProperty("x-steps").EnumerateArray().Select(h => h.GetString()));
        var limit = Assert.Single(user.GetProperty("x-rate-limit").EnumerateArray().ToList());
        Assert.Equal(("per-client", 10, "1s"), (limit.GetProperty("policy").GetString(), limit.GetProperty("permits").GetInt32(), limit.GetProperty("window").GetString()));

        var dashboard = paths.GetProperty("/dashboard/{userId}").GetProperty("get");
        var parts = dashboard.GetProperty("x-aggregate").GetProperty("parts");
        Assert.Equal(["user", "orders"], parts.EnumerateObject().Select(p => p.Name));
        Assert.True(parts.GetProperty("orders").GetProperty("optional").GetBoolean());
        Assert.Equal("/users/{userId}", parts.GetProperty("user").GetProperty("path").GetString());
        Assert.Contains("each part's answer", dashboard.GetProperty("responses").GetProperty("200").GetProperty("description").GetString(), StringComparison.Ordinal);

        Assert.Equal(308, paths.GetProperty("/v0/{rest}").GetProperty("get").GetProperty("x-respond").GetProperty("status").GetInt32());

        var cache = paths.GetProperty("/shop/item/{id}").GetProperty("get").GetProperty("x-cache");
        Assert.Equal(("catalogue", "30s", "5m", false), (cache.GetProperty("cache").GetString(), cache.GetProperty("ttl").GetString(), cache.GetProperty("staleIfError").GetString(), cache.GetProperty("shared").GetBoolean()));
    }

    [Fact]
    public async Task TheUpstreamsOwnOperationsAreMergedAtTheirPublicPaths()
    {
        var document = await ReadAsync("/openapi.json");

        // "store" strips /store and forwards the rest: every upstream operation, below /store.
        var list = document.Paths["/store/items"].Operations![HttpMethod.Get];
        Assert.Equal("List items", list.Summary);
        Assert.Equal(("limit", ParameterLocation.Query), (Assert.Single(list.Parameters!).Name, list.Parameters![0].In));
        Assert.NotNull(document.Paths["/store/items"].Operations![HttpMethod.Post].RequestBody);
        Assert.Equal("itemId", Assert.Single(document.Paths["/store/items/{itemId}"].Operations![HttpMethod.Get].Parameters!).Name);

        // "item" rewrites /shop/item/{id} to /items/{id}: the upstream's {itemId} is the route's {id}.
        var item = document.Paths["/shop/item/{id}"].Operations![HttpMethod.Get];
        Assert.Equal("One item", item.Summary);
        var id = Assert.Single(item.Parameters!);
        Assert.Equal(("id", "The item's id"), (id.Name, id.Description));
        Assert.Equal(["200", "404"], item.Responses!.Keys.Order(StringComparer.Ordinal));

        // The schemas the merged operations use came along, and only those.
        Assert.Equal(["Item", "Tag"], document.Components!.Schemas!.Keys.Order(StringComparer.Ordinal));
        var schema = item.Responses["200"].Content!["application/json"].Schema!;
        Assert.Equal("Item", Assert.IsType<OpenApiSchemaReference>(schema).Reference.Id);
        Assert.Equal("Tag", Assert.IsType<OpenApiSchemaReference>(document.Components.Schemas["Item"].Properties!["tag"]).Reference.Id);
    }

    [Fact]
    public async Task ANamedFrontendHasItsOwnDocumentAndAnUnknownOneIsA404Problem()
    {
        var document = await ReadAsync("/openapi/mobile.json");

        Assert.Equal("/profile/{id}", Assert.Single(document.Paths.Keys));
        Assert.Equal("Gateway: frontend mobile", document.Info.Title);
        var scheme = document.Components!.SecuritySchemes!["query-keys"];
        Assert.Equal((SecuritySchemeType.ApiKey, ParameterLocation.Query, "api_key"), (scheme.Type, scheme.In, scheme.Name));

        var missing = await Admin.GetAsync("/openapi/nope.json");
        Assert.Equal(404, missing.Status);
        Assert.Equal("application/problem+json", missing.Header("Content-Type"));
        Assert.Contains("no frontend \"nope\"", JsonDocument.Parse(missing.BodyText).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDiagramIsAMermaidFlowchartFromFrontendsToDestinations()
    {
        var response = await Admin.GetAsync("/diagram");

        Assert.Equal(200, response.Status);
        var lines = response.BodyText.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Trim()).ToList();
        Assert.Equal("flowchart LR", lines[0]);
        Assert.Contains("f0([\"default frontend\"])", lines);
        Assert.Contains("f1([\"frontend mobile<br/>m.example.com\"])", lines);
        Assert.Contains("r0[\"user<br/>GET,DELETE /users/{id}<br/>api.example.com\"]", lines);
        Assert.Contains("s0[/\"authentication(keys)<br/>rateLimit(per-client)\"/]", lines);
        Assert.Contains("c1[(\"cluster store<br/>openapi /openapi.json\")]", lines);
        Assert.Contains($"c1d0[\"{docs.Store.Destination}\"]", lines);
        Assert.Contains("x5{{\"respond 308\"}}", lines);
        Assert.Contains("f0 --> r0", lines);
        Assert.Contains("r0 --> s0", lines);
        Assert.Contains("s0 --> c0", lines);
        Assert.Contains("r4 -->|\"orders\"| c0", lines);
        Assert.Contains("c1 --> c1d0", lines);
        Assert.Contains("f1 --> r6", lines);
    }

    [Fact]
    public async Task WithAnAdminTokenTheDocumentationNeedsIt()
    {
        await using var gateway = await TestGateway.StartAsync(Configs.Parse(DocsConfig.Json(docs.Store.Destination)), s => s with { AdminToken = "docs-token" });
        var admin = new AdminClient(gateway.AdminEndPoint);

        foreach (var path in (string[])["/openapi.json", "/openapi/mobile.json", "/diagram", "/docs"])
        {
            Assert.Equal(401, (await admin.GetAsync(path)).Status);
            Assert.Equal(200, (await admin.GetAsync(path, "docs-token")).Status);
        }
    }

    private async Task<OpenApiDocument> ReadAsync(string path)
    {
        var response = await Admin.GetAsync(path);
        Assert.Equal(200, response.Status);
        var (document, diagnostic) = OpenApiDocument.Parse(response.BodyText, "json");
        Assert.Empty(diagnostic!.Errors);
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, diagnostic.SpecificationVersion);
        return document!;
    }
}
