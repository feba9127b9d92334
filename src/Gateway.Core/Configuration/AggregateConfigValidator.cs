namespace Gateway.Core.Configuration;

/// <summary>
/// The rules of a route's <c>aggregate</c>: at least one part, each with a known cluster, a method token, a path, sound
/// durations and sizes, fields and passed headers that name something; and none of the forwarding settings beside it.
/// Templates and the parts' dependencies are checked when the route is compiled.
/// </summary>
internal static class AggregateConfigValidator
{
    /// <summary>Every broken rule of the aggregate of <paramref name="route"/> (at <paramref name="at"/>), when it has one.</summary>
    public static IEnumerable<(string Path, string Reason)> Errors(RouteConfig route, string at, Dictionary<string, ClusterConfig> clusters)
    {
        if (route.Aggregate is not { } aggregate)
        {
            yield break;
        }

        foreach (var (member, set) in new[] { ("rewrite", route.Rewrite is not null), ("retry", route.Retry is not null), ("timeout", route.Timeout is not null) })
        {
            if (set)
            {
                yield return ($"{at}.{member}", $"\"{member}\" applies to forwarded requests; an aggregate sets its parts' own (\"aggregate.timeout\", each part's \"timeout\")");
            }
        }

        at += ".aggregate";
        if (aggregate.Parts.Count == 0)
        {
            yield return (at + ".parts", "an aggregate needs at least one part");
        }

        foreach (var error in ConfigValidator.DurationErrors(aggregate.Timeout, at + ".timeout"))
        {
            yield return error;
        }

        foreach (var (name, part) in aggregate.Parts)
        {
            foreach (var error in PartErrors(name, part, ConfigJson.Member(at + ".parts", name), clusters))
            {
                yield return error;
            }
        }
    }

    private static IEnumerable<(string Path, string Reason)> PartErrors(string name, AggregatePartConfig? part, string at, Dictionary<string, ClusterConfig> clusters)
    {
        if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-') || name is "query" or "errors")
        {
            yield return (at, $"a part's name is letters, digits, '_' and '-', and not \"query\" or \"errors\"; got \"{name}\"");
        }

        if (part is null)
        {
            yield return (at, "expected a part such as { \"cluster\": \"users\", \"path\": \"/users/{id}\" }");
            yield break;
        }

        if (!clusters.ContainsKey(part.Cluster ?? ""))
        {
            var defined = clusters.Count == 0 ? "no clusters are defined" : $"defined clusters: {ConfigJson.Quoted(clusters.Keys)}";
            yield return (at + ".cluster", $"unknown cluster \"{part.Cluster}\"; {defined}");
        }

        if (string.IsNullOrEmpty(part.Method) || part.Method.AsSpan().ContainsAnyExcept(ConfigValidator.TokenChars))
        {
            yield return (at + ".method", $"\"{part.Method}\" is not an HTTP method token");
        }

        if (string.IsNullOrEmpty(part.Path) || !part.Path.StartsWith('/'))
        {
            yield return (at + ".path", $"a part's path starts with '/', got \"{part.Path}\"");
        }

        foreach (var error in ConfigValidator.DurationErrors(part.Timeout, at + ".timeout"))
        {
            yield return error;
        }

        foreach (var error in UpstreamConfigValidator.RetryErrors(part.Retry, at + ".retry"))
        {
            yield return error;
        }

        if (part.Retry is not null && part.Method is not ("GET" or "HEAD" or "OPTIONS" or "PUT" or "DELETE"))
        {
            yield return (at + ".retry", $"only an idempotent method (GET, HEAD, OPTIONS, PUT, DELETE) may be retried, not {part.Method}");
        }

        if (part.MaxBytes <= 0)
        {
            yield return (at + ".maxBytes", $"maxBytes must be above zero, got {part.MaxBytes}");
        }

        for (var j = 0; j < part.Fields.Count; j++)
        {
            if (string.IsNullOrEmpty(part.Fields[j]))
            {
                yield return ($"{at}.fields[{j}]", "a field is a member name of the part's JSON object");
            }
        }

        for (var j = 0; j < part.Headers?.Count; j++)
        {
            if (ConfigValidator.FieldNameProblem(part.Headers[j]) is { } problem)
            {
                yield return ($"{at}.headers[{j}]", problem);
            }
            else if (part.Headers[j].Equals("Accept", StringComparison.OrdinalIgnoreCase))
            {
                yield return ($"{at}.headers[{j}]", "a part always sends \"Accept: application/json\"");
            }
        }
    }
}
