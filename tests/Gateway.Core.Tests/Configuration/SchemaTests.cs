using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Gateway.Core.Configuration;

namespace Gateway.Core.Tests.Configuration;

/// <summary>Keeps gateway.schema.json and the C# model in step: the same property names at every level, the same enum values and defaults, and patterns that agree with the loader.</summary>
public sealed class SchemaTests
{
    private static readonly JsonElement Schema = JsonDocument.Parse(File.ReadAllText(RepositoryRoot.File("gateway.schema.json"))).RootElement;

    /// <summary>A valid configuration holding every object a patterned value sits in, for one value at a time to be set.</summary>
    private const string PatternBase = """
        {
          "routes": [{ "id": "a", "match": { "path": "/" }, "cluster": "c", "retry": {} }],
          "clusters": { "c": { "destinations": ["http://h:1"], "health": { "active": { "path": "/h" }, "passive": {} }, "connections": {}, "tls": {} } }
        }
        """;

    [Fact]
    public void SchemaAndModelAcceptTheSamePropertyNames() => Walk(typeof(GatewayConfig), Schema, "$", converted: false, (_, _, _, _) => { });

    [Fact]
    public void DocumentedDefaultsAreTheModelsDefaults() => Walk(typeof(GatewayConfig), Schema, "$", converted: false, (info, property, schema, at) =>
    {
        if (schema.TryGetProperty("default", out var documented))
        {
            var written = JsonSerializer.Deserialize($$"""{ "{{property.Name}}": {{documented.GetRawText()}} }""", info)!;
            var valueInfo = ConfigJson.Options.GetTypeInfo(property.PropertyType);
            Assert.True(
                JsonSerializer.Serialize(property.Get!(info.CreateObject!()), valueInfo) == JsonSerializer.Serialize(property.Get!(written), valueInfo),
                $"{at}: the schema's default {documented.GetRawText()} is not what the model takes when the property is left out");
        }
    });

    [Fact]
    public void LoadBalancingNamesAreTheModesInTheStringForm()
    {
        var names = Branch(Property(Def("cluster"), "loadBalancing"), "string").GetProperty("enum").EnumerateArray().Select(e => e.GetString());

        Assert.Equal(Enum.GetNames<LoadBalancingMode>(), names);
    }

    [Theory]
    [InlineData("route.match.methods", "GET", true)]
    [InlineData("route.match.methods", "M-SEARCH", true)]
    [InlineData("route.match.methods", "GE T", false)]
    [InlineData("route.match.methods", "", false)]
    [InlineData("route.match.hosts", "api.example.com", true)]
    [InlineData("route.match.hosts", "*.example.com", true)]
    [InlineData("route.match.hosts", "api.example.com:80", false)]
    [InlineData("route.match.hosts", "http://api.example.com", false)]
    [InlineData("route.match.hosts", "a..b", false)]
    [InlineData("route.match.hosts", "*", false)]
    [InlineData("route.match.path", "/users/{id}", true)]
    [InlineData("route.match.path", "users", false)]
    [InlineData("route.timeout", "10s", true)]
    [InlineData("route.timeout", "0s", false)]
    [InlineData("route.retry.perTryTimeout", "1s", true)]
    [InlineData("route.retry.perTryTimeout", "0ms", false)]
    [InlineData("route.retry.perTryTimeout", "1 s", false)]
    [InlineData("route.retry.backoff", "25ms", true)]
    [InlineData("route.retry.backoff", "0ms", true)]
    [InlineData("route.retry.backoff", "-25ms", false)]
    [InlineData("route.retry.backoff", "25us", false)]
    [InlineData("route.retry.on", "connect", true)]
    [InlineData("route.retry.on", "reset", true)]
    [InlineData("route.retry.on", "timeout", true)]
    [InlineData("route.retry.on", "503", true)]
    [InlineData("route.retry.on", "429", true)]
    [InlineData("route.retry.on", "sometimes", false)]
    [InlineData("route.retry.on", "Connect", false)]
    [InlineData("route.retry.on", "200", false)]
    [InlineData("route.retry.on", "600", false)]
    [InlineData("route.retry.on", "5030", false)]
    [InlineData("cluster.destinations", "http://h:1/base", true)]
    [InlineData("cluster.destinations", "HTTPS://h", true)]
    [InlineData("cluster.destinations", "ftp://h", false)]
    [InlineData("cluster.destinations", "http://u@h", false)]
    [InlineData("cluster.destinations", "http://h/?q", false)]
    [InlineData("cluster.destinations", "http://h/#f", false)]
    [InlineData("cluster.timeout", "250ms", true)]
    [InlineData("cluster.timeout", "1.5h", true)]
    [InlineData("cluster.timeout", "30", true)]
    [InlineData("cluster.timeout", "0.5s", true)]
    [InlineData("cluster.timeout", "1d", false)]
    [InlineData("cluster.timeout", "-1s", false)]
    [InlineData("cluster.timeout", "5 s", false)]
    [InlineData("cluster.timeout", "0s", false)]
    [InlineData("cluster.timeout", "0.0", false)]
    [InlineData("cluster.health.active.path", "/healthz", true)]
    [InlineData("cluster.health.active.path", "/", true)]
    [InlineData("cluster.health.active.path", "healthz", false)]
    [InlineData("cluster.health.active.path", "/health z", false)]
    [InlineData("cluster.health.active.path", "/healthz#a", false)]
    [InlineData("cluster.health.active.interval", "5s", true)]
    [InlineData("cluster.health.active.interval", "0s", false)]
    [InlineData("cluster.health.active.timeout", "1s", true)]
    [InlineData("cluster.health.active.timeout", "soon", false)]
    [InlineData("cluster.health.active.expectedStatus", "200-399", true)]
    [InlineData("cluster.health.active.expectedStatus", "204", true)]
    [InlineData("cluster.health.active.expectedStatus", "abc", false)]
    [InlineData("cluster.health.active.expectedStatus", "99", false)]
    [InlineData("cluster.health.active.expectedStatus", "200-600", false)]
    [InlineData("cluster.health.active.expectedStatus", "200-", false)]
    [InlineData("cluster.health.passive.window", "10s", true)]
    [InlineData("cluster.health.passive.window", "0", false)]
    [InlineData("cluster.health.passive.ejectionTime", "30s", true)]
    [InlineData("cluster.health.passive.ejectionTime", "1d", false)]
    [InlineData("cluster.connections.idleTimeout", "60s", true)]
    [InlineData("cluster.connections.idleTimeout", "0s", false)]
    [InlineData("cluster.connections.lifetime", "5m", true)]
    [InlineData("cluster.connections.lifetime", "5 m", false)]
    [InlineData("cluster.tls.sni", "orders.internal", true)]
    [InlineData("cluster.tls.sni", "10.0.0.8", true)]
    [InlineData("cluster.tls.sni", "*.x", false)]
    [InlineData("cluster.tls.sni", "orders.internal:443", false)]
    [InlineData("cluster.tls.sni", "", false)]
    public void SchemaPatternsAgreeWithTheLoader(string property, string value, bool valid)
    {
        var names = property.Split('.');
        var schema = Def(names[0]);
        var config = JsonNode.Parse(PatternBase)!;
        var target = names[0] == "route" ? config["routes"]![0]! : config["clusters"]!["c"]!;
        foreach (var name in names[1..^1])
        {
            schema = Resolve(Property(schema, name));
            target = target[name]!;
        }

        var valueSchema = Resolve(Property(schema, names[^1]));
        var isList = valueSchema.TryGetProperty("items", out var items);
        var pattern = Branch(isList ? items : valueSchema, "string").GetProperty("pattern").GetString()!;
        target[names[^1]] = isList ? new JsonArray(value) : value;

        Assert.Equal(valid, Regex.IsMatch(value, pattern, RegexOptions.ECMAScript));
        Assert.Equal(valid, Accepts(config.ToJsonString()));
    }

    /// <summary>
    /// Walks the model's JSON contract and the schema side by side, comparing property names level by level and calling
    /// <paramref name="check"/> for every property. A value read by a custom converter (<paramref name="converted"/>) has
    /// several written forms, a <c>oneOf</c> in the schema; its object form is the one the contract describes.
    /// </summary>
    private static void Walk(Type type, JsonElement schema, string at, bool converted, Action<JsonTypeInfo, JsonPropertyInfo, JsonElement, string> check)
    {
        schema = Resolve(schema);
        var info = ConfigJson.Options.GetTypeInfo(type);
        switch (info.Kind)
        {
            case JsonTypeInfoKind.Object:
                if (converted)
                {
                    Assert.True(schema.TryGetProperty("oneOf", out _), $"{at}: a converter reads it, so the schema should list its forms in a oneOf");
                    schema = Branch(schema, "object");
                }

                Assert.False(schema.GetProperty("additionalProperties").GetBoolean(), $"{at}: additionalProperties must be false");
                var modelNames = info.Properties.Select(p => p.Name).Order().ToList();
                var schemaNames = schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order().ToList();
                Assert.True(modelNames.SequenceEqual(schemaNames),
                    $"{at}: the model accepts [{string.Join(", ", modelNames)}] but the schema lists [{string.Join(", ", schemaNames)}]");
                foreach (var property in info.Properties)
                {
                    var propertySchema = Property(schema, property.Name);
                    Assert.True(propertySchema.TryGetProperty("description", out _), $"{at}.{property.Name}: no description");
                    check(info, property, propertySchema, $"{at}.{property.Name}");
                    Walk(property.PropertyType, propertySchema, $"{at}.{property.Name}", property.CustomConverter is not null, check);
                }

                break;
            case JsonTypeInfoKind.Enumerable:
                Walk(info.ElementType!, schema.GetProperty("items"), $"{at}[]", converted, check);
                break;
            case JsonTypeInfoKind.Dictionary:
                Walk(info.ElementType!, schema.GetProperty("additionalProperties"), $"{at}.*", converted, check);
                break;
            case JsonTypeInfoKind.None when (Nullable.GetUnderlyingType(type) ?? type).IsEnum:
                // The loader reads enum names in any case, so the schema may spell them as the docs do ("byName").
                Assert.Equal(
                    Enum.GetNames(Nullable.GetUnderlyingType(type) ?? type).Select(name => name.ToUpperInvariant()),
                    schema.GetProperty("enum").EnumerateArray().Select(e => e.GetString()!.ToUpperInvariant()));
                break;
        }
    }

    private static JsonElement Def(string name) => Schema.GetProperty("$defs").GetProperty(name);

    private static JsonElement Property(JsonElement schema, string name) => schema.GetProperty("properties").GetProperty(name);

    /// <summary>The one alternative of the schema's <c>oneOf</c> whose JSON type is <paramref name="jsonType"/>; the schema itself when it has no <c>oneOf</c>.</summary>
    private static JsonElement Branch(JsonElement schema, string jsonType)
    {
        schema = Resolve(schema);
        return schema.TryGetProperty("oneOf", out var alternatives)
            ? Assert.Single(alternatives.EnumerateArray().Select(Resolve), a => a.TryGetProperty("type", out var t) && t.GetString() == jsonType)
            : schema;
    }

    /// <summary>Follows a local <c>$ref</c> such as <c>#/$defs/route</c>.</summary>
    private static JsonElement Resolve(JsonElement schema)
    {
        if (!schema.TryGetProperty("$ref", out var reference))
        {
            return schema;
        }

        return reference.GetString()!.TrimStart('#', '/').Split('/').Aggregate(Schema, (node, name) => node.GetProperty(name));
    }

    private static bool Accepts(string json)
    {
        try
        {
            ConfigLoader.Parse(json, "test.json");
            return true;
        }
        catch (ConfigException)
        {
            return false;
        }
    }
}
