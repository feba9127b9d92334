using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Gateway.Core.Configuration;

namespace Gateway.Core.Tests.Configuration;

/// <summary>Keeps gateway.schema.json and the C# model in step: the same property names at every level, the same enum values, and patterns that agree with the loader.</summary>
public sealed class SchemaTests
{
    private static readonly JsonElement Schema = JsonDocument.Parse(File.ReadAllText(RepositoryRoot.File("gateway.schema.json"))).RootElement;

    [Fact]
    public void SchemaAndModelAcceptTheSamePropertyNames() => Compare(typeof(GatewayConfig), Schema, "$");

    [Theory]
    [InlineData("route", "methods", "GET", true)]
    [InlineData("route", "methods", "M-SEARCH", true)]
    [InlineData("route", "methods", "GE T", false)]
    [InlineData("route", "methods", "", false)]
    [InlineData("route", "hosts", "api.example.com", true)]
    [InlineData("route", "hosts", "*.example.com", true)]
    [InlineData("route", "hosts", "api.example.com:80", false)]
    [InlineData("route", "hosts", "http://api.example.com", false)]
    [InlineData("route", "hosts", "a..b", false)]
    [InlineData("route", "hosts", "*", false)]
    [InlineData("route", "path", "/users/{id}", true)]
    [InlineData("route", "path", "users", false)]
    [InlineData("cluster", "destinations", "http://h:1/base", true)]
    [InlineData("cluster", "destinations", "HTTPS://h", true)]
    [InlineData("cluster", "destinations", "ftp://h", false)]
    [InlineData("cluster", "destinations", "http://u@h", false)]
    [InlineData("cluster", "destinations", "http://h/?q", false)]
    [InlineData("cluster", "destinations", "http://h/#f", false)]
    [InlineData("cluster", "timeout", "250ms", true)]
    [InlineData("cluster", "timeout", "1.5h", true)]
    [InlineData("cluster", "timeout", "30", true)]
    [InlineData("cluster", "timeout", "1d", false)]
    [InlineData("cluster", "timeout", "-1s", false)]
    [InlineData("cluster", "timeout", "5 s", false)]
    public void SchemaPatternsAgreeWithTheLoader(string kind, string property, string value, bool valid)
    {
        var schema = kind == "route"
            ? Resolve(Property(Resolve(Property(Schema.GetProperty("$defs").GetProperty("route"), "match")), property))
            : Property(Schema.GetProperty("$defs").GetProperty("cluster"), property);
        var pattern = (schema.TryGetProperty("items", out var items) ? items : schema).GetProperty("pattern").GetString()!;
        var config = JsonNode.Parse("""
            { "routes": [{ "id": "a", "match": { "path": "/" }, "cluster": "c" }], "clusters": { "c": { "destinations": ["http://h:1"] } } }
            """)!;
        var target = kind == "route" ? config["routes"]![0]!["match"]! : config["clusters"]!["c"]!;
        target[property] = property is "methods" or "hosts" or "destinations" ? new JsonArray(value) : value;

        Assert.Equal(valid, Regex.IsMatch(value, pattern, RegexOptions.ECMAScript));
        Assert.Equal(valid, Accepts(config.ToJsonString()));
    }

    /// <summary>Walks the model's JSON contract and the schema side by side, comparing property names level by level.</summary>
    private static void Compare(Type type, JsonElement schema, string at)
    {
        schema = Resolve(schema);
        var info = ConfigJson.Options.GetTypeInfo(type);
        switch (info.Kind)
        {
            case JsonTypeInfoKind.Object:
                Assert.False(schema.GetProperty("additionalProperties").GetBoolean(), $"{at}: additionalProperties must be false");
                var modelNames = info.Properties.Select(p => p.Name).Order().ToList();
                var schemaNames = schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order().ToList();
                Assert.True(modelNames.SequenceEqual(schemaNames),
                    $"{at}: the model accepts [{string.Join(", ", modelNames)}] but the schema lists [{string.Join(", ", schemaNames)}]");
                foreach (var property in info.Properties)
                {
                    var propertySchema = Property(schema, property.Name);
                    Assert.True(propertySchema.TryGetProperty("description", out _), $"{at}.{property.Name}: no description");
                    Compare(property.PropertyType, propertySchema, $"{at}.{property.Name}");
                }

                break;
            case JsonTypeInfoKind.Enumerable:
                Compare(info.ElementType!, schema.GetProperty("items"), $"{at}[]");
                break;
            case JsonTypeInfoKind.Dictionary:
                Compare(info.ElementType!, schema.GetProperty("additionalProperties"), $"{at}.*");
                break;
            case JsonTypeInfoKind.None when type.IsEnum:
                Assert.Equal(Enum.GetNames(type), schema.GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
                break;
        }
    }

    private static JsonElement Property(JsonElement schema, string name) => schema.GetProperty("properties").GetProperty(name);

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
