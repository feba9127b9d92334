namespace Gateway.Core.Configuration;

/// <summary>The rules of the <c>cors</c> policies and of a route's reference to one.</summary>
internal static class CorsConfigValidator
{
    /// <summary>Every broken rule of the policy at <paramref name="at"/>.</summary>
    public static IEnumerable<(string Path, string Reason)> PolicyErrors(CorsPolicyConfig? policy, string at)
    {
        if (policy is null)
        {
            yield return (at, "expected a CORS policy object, got null");
            yield break;
        }

        if (policy.Origins.Count == 0)
        {
            yield return (at + ".origins", "name at least one origin, e.g. \"https://app.example.com\"");
        }

        for (var i = 0; i < policy.Origins.Count; i++)
        {
            var origin = policy.Origins[i];
            if (origin == "*")
            {
                if (policy.Origins.Count > 1)
                {
                    yield return ($"{at}.origins[{i}]", "\"*\" allows every origin: list it alone");
                }
                else if (policy.Credentials)
                {
                    yield return ($"{at}.origins[{i}]", "\"*\" cannot be used with \"credentials\": true (browsers refuse it); list the origins");
                }
            }
            else if (!CorsOrigin.TryParse(origin, out _))
            {
                yield return ($"{at}.origins[{i}]", $"expected an origin such as \"https://app.example.com\" or \"https://*.example.com\" (scheme, host, optional port, no path), got \"{origin}\"");
            }
        }

        foreach (var (list, name) in new[] { (policy.Methods, "methods"), (policy.Headers, "headers"), (policy.ExposeHeaders, "exposeHeaders") })
        {
            for (var i = 0; i < list.Count; i++)
            {
                if (string.IsNullOrEmpty(list[i]) || list[i].AsSpan().ContainsAnyExcept(ConfigValidator.TokenChars) || list[i] == "*")
                {
                    yield return ($"{at}.{name}[{i}]", $"expected a {(name == "methods" ? "method" : "field name")} (a token, not \"*\"), got \"{list[i]}\"");
                }
            }
        }

        foreach (var error in ConfigValidator.DurationErrors(policy.MaxAge, at + ".maxAge", zeroAllowed: true))
        {
            yield return error;
        }
    }

    /// <summary>The error of a route naming the CORS policy <paramref name="name"/>, when it is not defined.</summary>
    public static IEnumerable<(string Path, string Reason)> ReferenceErrors(string? name, string at, Dictionary<string, CorsPolicyConfig> policies)
    {
        if (name is not null && !policies.ContainsKey(name))
        {
            var defined = policies.Count == 0 ? "no CORS policies are defined" : $"defined CORS policies: {ConfigJson.Quoted(policies.Keys)}";
            yield return (at, $"unknown CORS policy \"{name}\"; {defined}");
        }
    }
}
