using System.Text.Json.Nodes;
using Gateway.Core.Configuration;

namespace Gateway.Core.Docs;

/// <summary>
/// The OpenAPI 3.1 document of one frontend of a configuration: its routes' paths, parameters and methods, the security
/// schemes of the authentication entries they use, their steps, rate limits and handlers as <c>x-</c> extensions, and the
/// operations of the clusters' own documents merged in at their public paths.
/// </summary>
public static class OpenApiGenerator
{
    /// <summary>The OpenAPI version of the documents.</summary>
    public const string Version = "3.1.1";

    /// <summary>
    /// The document of the routes of <paramref name="frontend"/> (null: the default frontend) in <paramref name="config"/>, with
    /// <paramref name="upstream"/>'s documents (by cluster name) merged in. Where two routes give one path the same method, the
    /// first in the file is documented.
    /// </summary>
    public static JsonObject Generate(GatewayConfig config, string? frontend, IReadOnlyDictionary<string, UpstreamDocument> upstream)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(upstream);
        var paths = new JsonObject();
        var components = new JsonObject();
        var imports = new Dictionary<string, ComponentImport>(StringComparer.Ordinal);
        var operationIds = new HashSet<string>(StringComparer.Ordinal);
        var routes = config.Routes.Where(route => route.Frontend == frontend).ToList();
        foreach (var route in routes)
        {
            var operations = new RouteOperations(config, route);
            var merged = route.Cluster is { } cluster && upstream.TryGetValue(cluster, out var published)
                ? operations.Merged(published, Import(imports, components, cluster, published)).ToList()
                : [];
            foreach (var (path, method, operation) in merged.Count > 0 ? merged : operations.Generic())
            {
                var item = paths[path] as JsonObject ?? (JsonObject)(paths[path] = new JsonObject());
                if (!item.ContainsKey(method))
                {
                    operation["operationId"] = Unique(operationIds, operation["operationId"]!.GetValue<string>(), method);
                    item[method] = operation;
                }
            }
        }

        var schemes = routes.SelectMany(route => route.Policies?.Authentication ?? []).Distinct(StringComparer.Ordinal)
            .Where(config.Authentication.ContainsKey)
            .ToDictionary(name => name, name => (JsonNode?)SecuritySchemes.Of(config.Authentication[name]), StringComparer.Ordinal);
        if (schemes.Count > 0)
        {
            components["securitySchemes"] = new JsonObject(schemes);
        }

        var document = new JsonObject
        {
            ["openapi"] = Version,
            ["info"] = new JsonObject
            {
                ["title"] = frontend is null ? "Gateway" : $"Gateway: frontend {frontend}",
                ["version"] = ConfigVersion.Of(config),
                ["description"] = Description(config, frontend),
            },
            ["paths"] = paths,
        };
        if (components.Count > 0)
        {
            document["components"] = components;
        }

        return document;
    }

    /// <summary><paramref name="name"/> as an OpenAPI component name: letters, digits, '.', '-' and '_', anything else as '_'.</summary>
    private static string ComponentName(string name) =>
        string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_'));

    private static string Description(GatewayConfig config, string? frontend)
    {
        var text = "The routes this gateway serves, generated from its running configuration (the version is the configuration's).";
        return frontend is not null && config.Frontends.TryGetValue(frontend, out var spec)
            ? $"{text} Frontend {frontend}: {(spec.Hosts.Count > 0 ? $"hosts {string.Join(", ", spec.Hosts)}" : "any host")}{(spec.Listen.Count > 0 ? $" on its own listeners ({string.Join(", ", spec.Listen)})" : "")}."
            : text;
    }

    private static ComponentImport Import(Dictionary<string, ComponentImport> imports, JsonObject components, string cluster, UpstreamDocument document)
    {
        if (!imports.TryGetValue(cluster, out var import))
        {
            imports[cluster] = import = new ComponentImport(components, document.Document, ComponentName(cluster));
        }

        return import;
    }

    /// <summary><paramref name="id"/>, or with the method, or a number after it, whichever is not taken yet.</summary>
    private static string Unique(HashSet<string> taken, string id, string method)
    {
        var candidate = taken.Contains(id) ? $"{id}-{method}" : id;
        for (var n = 2; taken.Contains(candidate); n++)
        {
            candidate = $"{id}-{method}-{n}";
        }

        taken.Add(candidate);
        return candidate;
    }
}
