using System.Buffers;
using Gateway.Core.Http;

namespace Gateway.Core.Configuration;

/// <summary>The rules a parsed configuration must follow, each failure reported at the JSON path of the offending value.</summary>
internal static class ConfigValidator
{
    /// <summary>RFC 9110 <c>tchar</c>: the characters of an HTTP method token.</summary>
    internal static readonly SearchValues<char> TokenChars =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    /// <summary>The characters of a host name label (letters, digits, '-').</summary>
    private static readonly SearchValues<char> HostLabelChars =
        SearchValues.Create("-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    /// <summary>Throws a <see cref="ConfigException"/> for the first rule <paramref name="config"/> breaks, with every broken rule in <see cref="ConfigException.All"/>.</summary>
    public static void Validate(GatewayConfig config, string source)
    {
        var errors = Errors(config).Select(error => new ConfigException(source, error.Path, error.Reason)).ToList();
        if (errors.Count > 0)
        {
            throw new ConfigException(source, errors[0].Location, errors[0].Reason) { All = errors };
        }
    }

    /// <summary>Every broken rule as (JSON path, reason), routes first, in file order.</summary>
    private static IEnumerable<(string Path, string Reason)> Errors(GatewayConfig config)
    {
        if (config.Routes.Count == 0)
        {
            yield return ("$.routes", "at least one route is required");
        }

        var firstIndexById = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < config.Routes.Count; i++)
        {
            foreach (var error in RouteErrors(config.Routes[i], $"$.routes[{i}]", i, firstIndexById, config.Clusters))
            {
                yield return error;
            }

            foreach (var error in PolicyReferenceErrors(config.Routes[i]?.Policies, $"$.routes[{i}].policies", config.RateLimits)
                .Concat(IpFilterValidator.Errors(config.Routes[i]?.Policies?.IpFilter, $"$.routes[{i}].policies.ipFilter"))
                .Concat(CorsConfigValidator.ReferenceErrors(config.Routes[i]?.Policies?.Cors, $"$.routes[{i}].policies.cors", config.Cors))
                .Concat(CacheConfigValidator.ReferenceErrors(config.Routes[i], $"$.routes[{i}].policies.cache", config.Caches))
                .Concat(AuthenticationConfigValidator.RouteErrors(config.Routes[i]?.Policies, $"$.routes[{i}].policies", config.Authentication))
                .Concat(FrontendConfigValidator.RouteErrors(config.Routes[i], $"$.routes[{i}]", config.Frontends)))
            {
                yield return error;
            }
        }

        foreach (var error in IpFilterValidator.Errors(config.IpFilter, "$.ipFilter"))
        {
            yield return error;
        }

        foreach (var (name, entry) in config.Authentication)
        {
            foreach (var error in AuthenticationConfigValidator.EntryErrors(name, entry, ConfigJson.Member("$.authentication", name)))
            {
                yield return error;
            }
        }

        foreach (var (name, cache) in config.Caches)
        {
            foreach (var error in CacheConfigValidator.CacheErrors(cache, ConfigJson.Member("$.caches", name)))
            {
                yield return error;
            }
        }

        foreach (var (name, policy) in config.Cors)
        {
            foreach (var error in CorsConfigValidator.PolicyErrors(policy, ConfigJson.Member("$.cors", name)))
            {
                yield return error;
            }
        }

        if (config.Listen is { Count: 0 })
        {
            yield return ("$.listen", "name at least one listener URL, or leave \"listen\" out");
        }

        for (var i = 0; i < config.Listen?.Count; i++)
        {
            if (!ListenAddress.TryParse(config.Listen[i], out _, out var problem))
            {
                yield return ($"$.listen[{i}]", problem);
            }
        }

        foreach (var error in FrontendConfigValidator.Errors(config.Frontends))
        {
            yield return error;
        }

        foreach (var error in TlsConfigValidator.Errors(config.Tls, "$.tls"))
        {
            yield return error;
        }

        foreach (var (name, cluster) in config.Clusters)
        {
            foreach (var error in UpstreamConfigValidator.ClusterErrors(cluster, ConfigJson.Member("$.clusters", name)))
            {
                yield return error;
            }
        }

        foreach (var (name, policy) in config.RateLimits)
        {
            if (name.Length == 0 || name.Any(c => c is < ' ' or >= '\u007f' or '"' or '\\'))
            {
                // The name is sent in the RateLimit-Policy and RateLimit fields as a quoted string.
                yield return (ConfigJson.Member("$.rateLimits", name), $"rate limit name \"{name}\" must be printable ASCII without '\"' or '\\'");
            }

            foreach (var error in RateLimitErrors(policy, ConfigJson.Member("$.rateLimits", name)))
            {
                yield return error;
            }
        }
    }

    /// <summary>What is wrong with a duration something waits for, when it is set: it must parse, be at most <see cref="Duration.LongestWait"/>, and be above zero unless <paramref name="zeroAllowed"/>.</summary>
    internal static IEnumerable<(string Path, string Reason)> DurationErrors(string? value, string at, bool zeroAllowed = false)
    {
        if (value is null)
        {
            yield break;
        }

        if (!Duration.TryParseWait(value, out var duration, out var reason))
        {
            yield return (at, $"{reason}, got \"{value}\"");
        }
        else if (duration <= TimeSpan.Zero && !(zeroAllowed && duration == TimeSpan.Zero))
        {
            yield return (at, $"\"{value}\" must be greater than zero");
        }
    }

    /// <summary>
    /// What is wrong with a route's list of <paramref name="names"/> at <paramref name="at"/>, each meant to name one of the
    /// <paramref name="defined"/> top-level entries of a <paramref name="kind"/> (e.g. "rate limit", plural <paramref name="kinds"/>):
    /// unknown names and repeats.
    /// </summary>
    internal static IEnumerable<(string Path, string Reason)> NameListErrors(List<string> names, string at, ICollection<string> defined, string kind, string kinds)
    {
        for (var j = 0; j < names.Count; j++)
        {
            if (!defined.Contains(names[j] ?? ""))
            {
                var known = defined.Count == 0 ? $"no {kinds} are defined" : $"defined {kinds}: {ConfigJson.Quoted(defined)}";
                yield return ($"{at}[{j}]", $"unknown {kind} \"{names[j]}\"; {known}");
            }
            else if (names.IndexOf(names[j]) != j)
            {
                yield return ($"{at}[{j}]", $"{kind} \"{names[j]}\" is listed twice");
            }
        }
    }

    private static IEnumerable<(string Path, string Reason)> PolicyReferenceErrors(
        RoutePoliciesConfig? policies, string at, Dictionary<string, RateLimitPolicyConfig> rateLimits)
    {
        var names = policies?.RateLimit ?? [];
        foreach (var error in NameListErrors(names, at + ".rateLimit", rateLimits.Keys, "rate limit", "rate limits"))
        {
            yield return error;
        }

        for (var j = 0; j < names.Count; j++)
        {
            if (rateLimits.GetValueOrDefault(names[j] ?? "")?.Key is (RateLimitKeyKind.Consumer or RateLimitKeyKind.Claim) and var key
                && policies!.Authentication.Count == 0 && names.IndexOf(names[j]) == j)
            {
                yield return ($"{at}.rateLimit[{j}]", $"rate limit \"{names[j]}\" is keyed by {key}: the route needs \"authentication\"");
            }
        }
    }

    private static IEnumerable<(string Path, string Reason)> RateLimitErrors(RateLimitPolicyConfig? policy, string at)
    {
        if (policy is null)
        {
            yield return (at, "expected a rate limit object, got null");
            yield break;
        }

        if (policy.Permits <= 0)
        {
            yield return (at + ".permits", "permits must be at least 1");
        }

        if (!Duration.TryParse(policy.Period, out var period, out var reason))
        {
            yield return (at + ".period", $"{reason}, got \"{policy.Period}\"");
        }
        else if (period <= TimeSpan.Zero)
        {
            yield return (at + ".period", $"period \"{policy.Period}\" must be greater than zero");
        }

        if (policy.Burst < 0)
        {
            yield return (at + ".burst", "burst must not be negative");
        }

        var capacity = policy.Burst > 0 ? policy.Burst : policy.Permits;
        if (policy.Cost < 1 || (capacity > 0 && policy.Cost > capacity))
        {
            yield return (at + ".cost", $"cost must be between 1 and the bucket size ({capacity}), got {policy.Cost}");
        }

        if (policy.Key == RateLimitKeyKind.Header && (string.IsNullOrEmpty(policy.Header) || policy.Header.AsSpan().ContainsAnyExcept(TokenChars)))
        {
            yield return (at + ".header", "a policy keyed by Header needs \"header\": the header field name");
        }
        else if (policy.Key != RateLimitKeyKind.Header && policy.Header is not null)
        {
            yield return (at + ".header", "\"header\" only applies with \"key\": \"Header\"");
        }

        if (policy.Key == RateLimitKeyKind.Claim && string.IsNullOrEmpty(policy.Claim))
        {
            yield return (at + ".claim", "a policy keyed by Claim needs \"claim\" (the claim's name, e.g. \"sub\")");
        }
        else if (policy.Key != RateLimitKeyKind.Claim && policy.Claim is not null)
        {
            yield return (at + ".claim", "\"claim\" only applies with \"key\": \"Claim\"");
        }
    }

    private static IEnumerable<(string Path, string Reason)> RouteErrors(
        RouteConfig? route, string at, int index, Dictionary<string, int> firstIndexById, Dictionary<string, ClusterConfig> clusters)
    {
        if (route is null)
        {
            yield return (at, "expected a route object, got null");
            yield break;
        }

        if (string.IsNullOrWhiteSpace(route.Id))
        {
            yield return (at + ".id", "a route needs a non-empty id");
        }
        else if (!firstIndexById.TryAdd(route.Id, index))
        {
            yield return (at + ".id", $"duplicate route id \"{route.Id}\" (already used by $.routes[{firstIndexById[route.Id]}])");
        }

        var path = route.Match.Path;
        if (string.IsNullOrEmpty(path))
        {
            yield return (at + ".match.path", "a route needs \"match\": { \"path\": \"/...\" }");
        }
        else if (!path.StartsWith('/'))
        {
            yield return (at + ".match.path", $"path \"{path}\" must start with '/'");
        }

        var defined = clusters.Count == 0 ? "no clusters are defined" : $"defined clusters: {ConfigJson.Quoted(clusters.Keys)}";
        var handlers = (route.Cluster is null ? 0 : 1) + (route.Respond is null ? 0 : 1) + (route.Aggregate is null ? 0 : 1);
        if (handlers != 1)
        {
            yield return (at, handlers == 0
                ? $"a route needs one handler: \"cluster\" (forward; {defined}), \"respond\" (answer directly) or \"aggregate\" (several calls in one answer)"
                : "a route has one handler: \"cluster\", \"respond\" or \"aggregate\", not several");
        }
        else if (route.Cluster is not null && !clusters.ContainsKey(route.Cluster))
        {
            yield return (at + ".cluster", $"unknown cluster \"{route.Cluster}\"; {defined}");
        }

        foreach (var error in UpstreamConfigValidator.RouteErrors(route, at))
        {
            yield return error;
        }

        foreach (var error in AggregateConfigValidator.Errors(route, at, clusters))
        {
            yield return error;
        }

        if (route.Respond is { } respond)
        {
            foreach (var error in RespondErrors(respond, at + ".respond"))
            {
                yield return error;
            }

            if (route.Rewrite is not null)
            {
                yield return (at + ".rewrite", "a rewrite applies to forwarded requests; this route answers with \"respond\"");
            }
        }

        foreach (var error in TransformErrors(route.Transforms?.Request, at + ".transforms.request")
            .Concat(TransformErrors(route.Transforms?.Response, at + ".transforms.response")))
        {
            yield return error;
        }

        for (var j = 0; j < route.Match.Methods.Count; j++)
        {
            if (MethodProblem(route.Match.Methods[j]) is { } problem)
            {
                yield return ($"{at}.match.methods[{j}]", problem);
            }
        }

        for (var j = 0; j < route.Match.Hosts.Count; j++)
        {
            if (HostProblem(route.Match.Hosts[j]) is { } problem)
            {
                yield return ($"{at}.match.hosts[{j}]", problem);
            }
        }

        if (route.Rewrite is { } rewrite)
        {
            foreach (var error in RewriteErrors(rewrite, at + ".rewrite"))
            {
                yield return error;
            }
        }
    }

    private static IEnumerable<(string Path, string Reason)> RespondErrors(RespondConfig respond, string at)
    {
        if (respond.Status is < 200 or > 599)
        {
            yield return (at + ".status", $"status must be between 200 and 599, got {respond.Status}");
        }
        else if (respond.Status is 204 or 304 && respond.Body is not null)
        {
            yield return (at + ".body", $"a {respond.Status} response has no body");
        }

        foreach (var (name, value) in respond.Headers)
        {
            if (FieldNameProblem(name) is { } problem)
            {
                yield return (ConfigJson.Member(at + ".headers", name), problem);
            }
            else if (value is null)
            {
                yield return (ConfigJson.Member(at + ".headers", name), "expected a string, got null");
            }
            else if (respond.ContentType is not null && name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                yield return (ConfigJson.Member(at + ".headers", name), "Content-Type is given by \"contentType\" already");
            }
        }

        if (respond.ContentType is { } contentType && (contentType.Length == 0 || contentType.Any(c => c is < ' ' or >= '\u007f')))
        {
            yield return (at + ".contentType", $"\"{contentType}\" is not a media type such as \"application/json\"");
        }
    }

    private static IEnumerable<(string Path, string Reason)> TransformErrors(HeaderTransformConfig? transform, string at)
    {
        if (transform is null)
        {
            yield break;
        }

        foreach (var (name, value) in transform.Set)
        {
            if (FieldNameProblem(name) is { } problem)
            {
                yield return (ConfigJson.Member(at + ".set", name), problem);
            }
            else if (value is null)
            {
                yield return (ConfigJson.Member(at + ".set", name), "expected a string, got null");
            }
        }

        for (var j = 0; j < transform.Remove.Count; j++)
        {
            if (FieldNameProblem(transform.Remove[j]) is { } problem)
            {
                yield return ($"{at}.remove[{j}]", problem);
            }
        }
    }

    /// <summary>What is wrong with a header field name that configuration sets or removes, or null: it must be a token the gateway does not own.</summary>
    internal static string? FieldNameProblem(string? name) =>
        string.IsNullOrEmpty(name) || name.AsSpan().ContainsAnyExcept(TokenChars) ? $"\"{name}\" is not a header field name"
        : HeaderRules.IsGatewayOwned(System.Text.Encoding.ASCII.GetBytes(name))
            ? $"\"{name}\" is a field the gateway owns (framing, hop-by-hop, Host, Via, X-Forwarded-*, Forwarded, Expect, X-Request-Id, traceparent); configuration may not set or remove it"
        : null;

    private static IEnumerable<(string Path, string Reason)> RewriteErrors(RouteRewriteConfig rewrite, string at)
    {
        if ((rewrite.StripPrefix is null) == (rewrite.Path is null))
        {
            yield return (at, "set exactly one of \"stripPrefix\" or \"path\"");
        }
        else if (rewrite.StripPrefix is { } prefix && !prefix.StartsWith('/'))
        {
            yield return (at + ".stripPrefix", $"stripPrefix \"{prefix}\" must start with '/'");
        }
        else if (rewrite.Path is { } path && !path.StartsWith('/'))
        {
            yield return (at + ".path", $"path \"{path}\" must start with '/'");
        }
    }

    private static string? MethodProblem(string? method) =>
        string.IsNullOrEmpty(method) ? "a method must not be empty"
        : method.AsSpan().ContainsAnyExcept(TokenChars) ? $"\"{method}\" is not an HTTP method token (letters, digits and !#$%&'*+-.^_`|~ only)"
        : null;

    internal static string? HostProblem(string? host)
    {
        if (string.IsNullOrEmpty(host))
        {
            return "a host must not be empty";
        }

        if (host.Contains("://", StringComparison.Ordinal))
        {
            return $"host \"{host}\" must not include a scheme";
        }

        if (host.Contains(':', StringComparison.Ordinal))
        {
            return $"host \"{host}\" must not include a port";
        }

        var name = host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host;
        return name.Split('.').All(label => label.Length > 0 && !label.AsSpan().ContainsAnyExcept(HostLabelChars))
            ? null
            : $"host \"{host}\" is not a host name such as \"api.example.com\" or \"*.example.com\"";
    }
}
