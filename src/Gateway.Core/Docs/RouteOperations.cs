using System.Text.Json.Nodes;
using Gateway.Core.Configuration;
using Gateway.Core.Routing;

namespace Gateway.Core.Docs;

/// <summary>
/// The OpenAPI operations of one route: one per method it accepts at its own path, or, for a route whose cluster publishes
/// a document, the upstream operations that map onto it at their public paths. Both carry the route's security, its steps and
/// rate limits and its handler as <c>x-</c> extensions.
/// </summary>
internal sealed class RouteOperations(GatewayConfig config, RouteConfig route)
{
    /// <summary>The methods documented for a route that accepts any method.</summary>
    public static readonly string[] UsualMethods = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    private const string ProblemType = "application/problem+json";

    /// <summary>The route's operations at its own path, for each method it accepts (the usual five when it accepts any).</summary>
    public IEnumerable<(string Path, string Method, JsonObject Operation)> Generic()
    {
        var path = OpenApiPath.Of(route.Match.Path);
        var methods = route.Match.Methods.Count > 0 ? route.Match.Methods : UsualMethods.AsEnumerable();
        foreach (var method in methods.Select(m => m.ToLowerInvariant()).Where(UpstreamDocument.Methods.Contains))
        {
            var operation = new JsonObject
            {
                ["operationId"] = route.Id,
                ["summary"] = Summary(),
                ["description"] = Description(),
                ["parameters"] = new JsonArray(),
                ["responses"] = Responses(),
            };
            yield return (path, method, Finish(operation, path, new Dictionary<string, string?>()));
        }
    }

    /// <summary>The operations of <paramref name="document"/> that the route forwards to, at their public paths, their components imported through <paramref name="import"/>.</summary>
    public IEnumerable<(string Path, string Method, JsonObject Operation)> Merged(UpstreamDocument document, ComponentImport import)
    {
        var mapping = UpstreamPathMapping.For(route);
        var serverPath = document.ServerPath;
        foreach (var (path, method, upstream, shared) in document.Operations())
        {
            if ((route.Match.Methods.Count > 0 && !route.Match.Methods.Contains(method, StringComparer.OrdinalIgnoreCase))
                || !mapping.TryMap(UpstreamPathMapping.Forwarded(path, serverPath, document.BasePath), out var publicPath, out var renamed))
            {
                continue;
            }

            var operation = new JsonObject
            {
                ["operationId"] = upstream["operationId"] is { } id ? $"{route.Id}.{id}" : route.Id,
                ["summary"] = upstream["summary"]?.DeepClone() ?? Summary(),
                ["description"] = upstream["description"] is { } description ? $"{description.GetValue<string>()}\n\n{Description()}" : Description(),
                ["parameters"] = UpstreamParameters(document, shared, upstream["parameters"] as JsonArray, renamed, publicPath, import),
            };
            foreach (var member in (string[])["requestBody", "responses", "deprecated"])
            {
                if (upstream[member] is { } value)
                {
                    operation[member] = import.Import(value);
                }
            }

            operation["responses"] ??= Responses();
            yield return (publicPath, method, Finish(operation, publicPath, renamed));
        }
    }

    /// <summary>The upstream operation's parameters (its path item's, then its own, which win), path parameters renamed or dropped as the route maps them.</summary>
    private static JsonArray UpstreamParameters(
        UpstreamDocument document, JsonArray? shared, JsonArray? own, IReadOnlyDictionary<string, string?> renamed, string publicPath, ComponentImport import)
    {
        var byKey = new Dictionary<(string, string), JsonNode>();
        foreach (var parameter in (shared ?? []).Concat(own ?? []).OfType<JsonObject>())
        {
            var resolved = parameter["$ref"] is { } reference
                ? document.Document["components"]?["parameters"]?[reference.GetValue<string>().Split('/')[^1]] as JsonObject ?? parameter
                : parameter;
            var (name, place) = (resolved["name"]?.GetValue<string>() ?? "", resolved["in"]?.GetValue<string>() ?? "");
            if (place != "path")
            {
                byKey[(place, name)] = import.Import(parameter)!;
            }
            else if ((renamed.TryGetValue(name, out var publicName) ? publicName : name) is { } kept && publicPath.Contains("{" + kept + "}", StringComparison.Ordinal))
            {
                var copy = import.Import(resolved)!.AsObject();
                copy["name"] = kept;
                byKey[(place, kept)] = copy;
            }
        }

        return [.. byKey.Values];
    }

    /// <summary>Adds the path parameters nobody described, the security, the step responses and the extensions to <paramref name="operation"/>.</summary>
    private JsonObject Finish(JsonObject operation, string path, IReadOnlyDictionary<string, string?> renamed)
    {
        var parameters = operation["parameters"]!.AsArray();
        var described = parameters.Select(p => p?["in"]?.GetValue<string>() == "path" ? p["name"]?.GetValue<string>() : null).ToHashSet();
        var catchAll = OpenApiPath.Segments(route.Match.Path).Where(s => s.Kind == SegmentKind.CatchAll).Select(s => s.Text).ToHashSet();
        foreach (var name in path.Split('/').Where(s => s.StartsWith('{')).Select(s => s[1..^1]).Where(name => !described.Contains(name)))
        {
            var parameter = new JsonObject { ["name"] = name, ["in"] = "path", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string" } };
            if (catchAll.Contains(name) && !renamed.Values.Contains(name))
            {
                parameter["description"] = "The rest of the path: any number of segments, '/' included (a catch-all).";
            }

            parameters.Add((JsonNode)parameter);
        }

        if (parameters.Count == 0)
        {
            operation.Remove("parameters");
        }

        var policies = route.Policies;
        var responses = operation["responses"]!.AsObject();
        AddResponse(responses, "401", policies?.Authentication.Count > 0, "No valid credentials (authentication failed).");
        AddResponse(responses, "403", policies?.Authorization is not null || policies?.IpFilter is not null || config.IpFilter is not null, "The caller or its address is not allowed.");
        AddResponse(responses, "429", policies?.RateLimit.Count > 0, "Over a rate limit; Retry-After says when to try again.");
        operation["tags"] = new JsonArray(Tag);
        if (policies?.Authentication.Count > 0)
        {
            var scopes = policies.Authorization?.Scopes ?? [];
            operation["security"] = new JsonArray([.. policies.Authentication.Select(name => new JsonObject { [name] = new JsonArray([.. scopes.Select(s => JsonValue.Create(s))]) })]);
        }

        operation["x-route"] = route.Id;
        AddStrings(operation, "x-hosts", route.Match.Hosts);
        AddStrings(operation, "x-steps", RouteSteps.Of(policies).ToList());
        if (route.Cluster is { } cluster)
        {
            operation["x-cluster"] = cluster;
        }

        if (policies?.RateLimit.Count > 0)
        {
            operation["x-rate-limit"] = new JsonArray([.. policies.RateLimit.Select(RateLimit)]);
        }

        if (policies?.Cache is { } cache && config.Caches.TryGetValue(cache, out var cacheConfig))
        {
            operation["x-cache"] = Cache(cache, cacheConfig);
        }

        if (route.Aggregate is { } aggregate)
        {
            operation["x-aggregate"] = Aggregate(aggregate);
        }

        if (route.Respond is { } respond)
        {
            operation["x-respond"] = new JsonObject { ["status"] = respond.Status };
        }

        return operation;
    }

    private string Tag => route.Cluster ?? (route.Aggregate is not null ? "aggregates" : "direct responses");

    private string Summary() => route switch
    {
        { Aggregate: { } aggregate } => $"Composed of {aggregate.Parts.Count} upstream calls: {string.Join(", ", aggregate.Parts.Keys)}",
        { Respond: { } respond } => $"Answered by the gateway itself with {respond.Status}",
        _ => $"Forwarded to cluster {route.Cluster}",
    };

    private string Description()
    {
        var lines = new List<string> { $"Route `{route.Id}`, path template `{route.Match.Path}`." };
        if (route.Match.Hosts.Count > 0)
        {
            lines.Add($"Hosts: {string.Join(", ", route.Match.Hosts)}.");
        }

        if (route.Match.Methods.Count == 0)
        {
            lines.Add($"The route accepts any method; {string.Join(", ", UsualMethods)} are listed.");
        }

        if (route.Rewrite is { } rewrite)
        {
            lines.Add(rewrite.Path is { } path ? $"Forwarded as `{path}`." : $"Forwarded without the prefix `{rewrite.StripPrefix}`.");
        }

        return string.Join(' ', lines);
    }

    private JsonObject Responses() => route switch
    {
        { Aggregate: { } aggregate } => new JsonObject
        {
            ["200"] = new JsonObject
            {
                ["description"] = aggregate.Merge == AggregateMerge.Top
                    ? "One JSON object holding the members of every part's answer."
                    : "One JSON object with each part's answer under the part's name; an optional part that failed is left out and named in X-Aggregate-Missing.",
                ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = AggregateSchema(aggregate) } },
            },
            ["502"] = Problem("A required part failed."),
            ["504"] = Problem("A required part did not answer in time."),
        },
        { Respond: { } respond } => new JsonObject { [respond.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = DirectResponse(respond) },
        _ => new JsonObject { ["default"] = new JsonObject { ["description"] = $"The answer of cluster {route.Cluster}, relayed." } },
    };

    private static JsonObject DirectResponse(RespondConfig respond)
    {
        var response = new JsonObject { ["description"] = "Answered by the gateway itself, without an upstream." };
        if (respond.Headers.Count > 0)
        {
            response["headers"] = new JsonObject([.. respond.Headers.Select(header => KeyValuePair.Create<string, JsonNode?>(
                header.Key, new JsonObject { ["description"] = $"`{header.Value}` (braces are the route's parameters)", ["schema"] = new JsonObject { ["type"] = "string" } }))]);
        }

        if (respond.Body is { } body)
        {
            response["content"] = new JsonObject { [respond.ContentType ?? "text/plain"] = new JsonObject { ["example"] = body } };
        }

        return response;
    }

    private static JsonObject AggregateSchema(AggregateConfig aggregate) => aggregate.Merge == AggregateMerge.Top
        ? new JsonObject { ["type"] = "object" }
        : new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject([.. aggregate.Parts.Select(part => KeyValuePair.Create<string, JsonNode?>(
                part.Key, new JsonObject { ["description"] = $"The answer of {part.Value.Method} {part.Value.Path} on cluster {part.Value.Cluster}." }))]),
            ["required"] = new JsonArray([.. aggregate.Parts.Where(part => !part.Value.Optional).Select(part => JsonValue.Create(part.Key))]),
        };

    private static JsonObject Aggregate(AggregateConfig aggregate)
    {
        var parts = new JsonObject();
        foreach (var (name, part) in aggregate.Parts)
        {
            var call = new JsonObject { ["cluster"] = part.Cluster, ["method"] = part.Method, ["path"] = part.Path, ["optional"] = part.Optional };
            AddStrings(call, "fields", part.Fields);
            parts[name] = call;
        }

        var described = new JsonObject { ["merge"] = aggregate.Merge == AggregateMerge.Top ? "top" : "byName", ["parts"] = parts };
        if (aggregate.Timeout is { } timeout)
        {
            described["timeout"] = timeout;
        }

        return described;
    }

    private JsonObject RateLimit(string name)
    {
        var limit = new JsonObject { ["policy"] = name };
        if (config.RateLimits.TryGetValue(name, out var policy))
        {
            limit["permits"] = policy.Permits;
            limit["window"] = policy.Period;
            if (policy.Burst > 0)
            {
                limit["burst"] = policy.Burst;
            }

            limit["key"] = policy.Key.ToString();
            limit["distributed"] = policy.Distributed;
        }

        return limit;
    }

    /// <summary>A route's cache: its name, and the lifetimes the gateway applies when the upstream says nothing.</summary>
    private static JsonObject Cache(string name, CacheConfig cache)
    {
        var description = new JsonObject { ["cache"] = name };
        foreach (var (key, value) in new[] { ("ttl", cache.Ttl), ("staleWhileRevalidate", cache.StaleWhileRevalidate), ("staleIfError", cache.StaleIfError) })
        {
            if (value is not null)
            {
                description[key] = value;
            }
        }

        description["shared"] = cache.Shared;
        return description;
    }

    private static JsonObject Problem(string description) =>
        new() { ["description"] = description, ["content"] = new JsonObject { [ProblemType] = new JsonObject() } };

    private static void AddResponse(JsonObject responses, string status, bool applies, string description)
    {
        if (applies && !responses.ContainsKey(status))
        {
            responses[status] = Problem(description);
        }
    }

    private static void AddStrings(JsonObject target, string name, List<string> values)
    {
        if (values.Count > 0)
        {
            target[name] = new JsonArray([.. values.Select(value => JsonValue.Create(value))]);
        }
    }
}
