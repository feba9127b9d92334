using System.Text.Json.Nodes;

namespace Gateway.Core.Docs;

/// <summary>
/// Copies parts of an upstream OpenAPI document into the gateway's with the components they reference (schemas, parameters,
/// responses, ..., transitively); a component whose name the gateway's document already holds with another definition is
/// renamed <c>PREFIX.NAME</c>, and the references to it follow.
/// </summary>
internal sealed class ComponentImport(JsonObject target, JsonObject source, string prefix)
{
    private const string Local = "#/components/";
    private readonly Dictionary<string, string> _references = new(StringComparer.Ordinal);

    /// <summary>A copy of <paramref name="node"/> whose references point into the gateway's components.</summary>
    public JsonNode? Import(JsonNode? node)
    {
        var copy = node?.DeepClone();
        Rewrite(copy);
        return copy;
    }

    private void Rewrite(JsonNode? node)
    {
        if (node is JsonArray array)
        {
            foreach (var item in array)
            {
                Rewrite(item);
            }
        }
        else if (node is JsonObject members)
        {
            foreach (var (name, value) in members.ToList())
            {
                if (name == "$ref" && value is JsonValue reference && reference.TryGetValue<string>(out var text) && text.StartsWith(Local, StringComparison.Ordinal))
                {
                    members[name] = Resolve(text);
                }
                else
                {
                    Rewrite(value);
                }
            }
        }
    }

    /// <summary>The gateway's reference for the upstream <paramref name="reference"/>, copying the component on first use.</summary>
    private string Resolve(string reference)
    {
        if (_references.TryGetValue(reference, out var known))
        {
            return known;
        }

        var parts = reference[Local.Length..].Split('/', 2);
        if (parts.Length != 2 || source["components"]?[parts[0]]?[parts[1]] is not { } definition)
        {
            return reference;
        }

        var section = target[parts[0]] as JsonObject ?? (JsonObject)(target[parts[0]] = new JsonObject());
        var name = section[parts[1]] is { } held && !JsonNode.DeepEquals(held, definition) ? $"{prefix}.{parts[1]}" : parts[1];
        var resolved = $"{Local}{parts[0]}/{name}";
        _references[reference] = resolved;
        if (!section.ContainsKey(name))
        {
            var copy = definition.DeepClone();
            section[name] = copy;
            Rewrite(copy);
        }

        return resolved;
    }
}
