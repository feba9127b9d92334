using Gateway.Core.Upstreams.LoadBalancing;
using Gateway.Core.Upstreams;

namespace Gateway.Core.Configuration;

/// <summary>The rules for what reaches upstreams: clusters (destinations, balancing, health, limits, pools, TLS) and a route's timeout and retries.</summary>
internal static class UpstreamConfigValidator
{
    /// <summary>The retry conditions that are not statuses.</summary>
    public static readonly string[] RetryFailures = ["connect", "reset", "timeout"];

    /// <summary>The longest retry backoff: the n-th retry waits up to ten times it.</summary>
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromHours(1);

    /// <summary>Every broken rule of the cluster at <paramref name="at"/>.</summary>
    public static IEnumerable<(string Path, string Reason)> ClusterErrors(ClusterConfig? cluster, string at)
    {
        if (cluster is null)
        {
            yield return (at, "expected a cluster object, got null");
            yield break;
        }

        if (cluster.Destinations.Count == 0)
        {
            yield return (at + ".destinations", "a cluster needs at least one destination URL");
        }

        for (var j = 0; j < cluster.Destinations.Count; j++)
        {
            var destination = cluster.Destinations[j];
            if (DestinationUrl.FindProblem(destination?.Url) is { } problem)
            {
                yield return ($"{at}.destinations[{j}]", problem);
            }
            else if (destination!.Weight is < 1 or > 1000)
            {
                yield return ($"{at}.destinations[{j}].weight", $"weight must be between 1 and 1000, got {destination.Weight}");
            }
            else if (cluster.Destinations.FindIndex(d => d?.Url.TrimEnd('/') == destination.Url.TrimEnd('/')) is var first && first != j)
            {
                yield return ($"{at}.destinations[{j}]", $"\"{destination.Url}\" is listed twice (also at destinations[{first}]); give it a weight instead");
            }
        }

        foreach (var error in ConfigValidator.DurationErrors(cluster.Timeout, at + ".timeout")
            .Concat(BalancingErrors(cluster.LoadBalancing, at + ".loadBalancing"))
            .Concat(ActiveHealthErrors(cluster.Health?.Active, at + ".health.active"))
            .Concat(PassiveHealthErrors(cluster.Health?.Passive, at + ".health.passive"))
            .Concat(LimitErrors(cluster, at))
            .Concat(TlsErrors(cluster.Tls, at + ".tls"))
            .Concat(ProtocolErrors(cluster, at)))
        {
            yield return error;
        }

        if (cluster.OpenApi is { } openApi && !IsRequestPath(openApi))
        {
            yield return (at + ".openapi", $"path \"{openApi}\" must start with '/' and hold no spaces, controls or '#'");
        }
    }

    /// <summary>Every broken rule of the route's <c>timeout</c>, <c>retry</c> and <c>upgrade</c>.</summary>
    public static IEnumerable<(string Path, string Reason)> RouteErrors(RouteConfig route, string at)
    {
        if (route.Respond is not null && (route.Timeout is not null || route.Retry is not null))
        {
            yield return (at + (route.Timeout is null ? ".retry" : ".timeout"), "timeouts and retries apply to forwarded requests; this route answers with \"respond\"");
            yield break;
        }

        if (route.Upgrade is not null && route.Cluster is null)
        {
            yield return (at + ".upgrade", "\"upgrade\" lets WebSockets through to a cluster; this route has no \"cluster\"");
        }

        foreach (var error in ConfigValidator.DurationErrors(route.Timeout, at + ".timeout"))
        {
            yield return error;
        }

        foreach (var error in RetryErrors(route.Retry, at + ".retry"))
        {
            yield return error;
        }
    }

    /// <summary>Every broken rule of a <c>retry</c> (a route's, or an aggregate part's) at <paramref name="at"/>, when there is one.</summary>
    public static IEnumerable<(string Path, string Reason)> RetryErrors(RetryConfig? retry, string at)
    {
        if (retry is null)
        {
            yield break;
        }

        if (retry.Attempts is < 2 or > 10)
        {
            yield return (at + ".attempts", $"attempts counts every try, the first included: between 2 and 10, got {retry.Attempts}");
        }

        for (var j = 0; j < retry.On.Count; j++)
        {
            var condition = retry.On[j];
            if (!RetryFailures.Contains(condition) && !(int.TryParse(condition, out var status) && status is >= 400 and <= 599 && condition.Length == 3))
            {
                yield return ($"{at}.on[{j}]", $"expected \"connect\", \"reset\", \"timeout\" or a status from 400 to 599, got \"{condition}\"");
            }
        }

        if (retry.MaxBodyBytes is < 0 or > 1 << 20)
        {
            yield return (at + ".maxBodyBytes", $"maxBodyBytes must be between 0 and 1048576 (1 MiB), got {retry.MaxBodyBytes}");
        }

        foreach (var error in ConfigValidator.DurationErrors(retry.PerTryTimeout, at + ".perTryTimeout").Concat(ConfigValidator.DurationErrors(retry.Backoff, at + ".backoff", zeroAllowed: true)))
        {
            yield return error;
        }

        if (Duration.TryParse(retry.Backoff, out var backoff, out _) && backoff > MaxBackoff)
        {
            yield return (at + ".backoff", $"backoff must be at most 1h (a retry waits up to ten times as long), got \"{retry.Backoff}\"");
        }
    }

    private static IEnumerable<(string Path, string Reason)> BalancingErrors(LoadBalancingConfig? balancing, string at)
    {
        if (balancing is null)
        {
            yield return (at, "expected a policy name or an object { \"policy\", ... }, got null");
            yield break;
        }

        if (balancing.Policy != LoadBalancingMode.ConsistentHash)
        {
            if (balancing.Key is not null || balancing.Header is not null || balancing.Cookie is not null)
            {
                yield return (at, "\"key\", \"header\" and \"cookie\" apply to \"policy\": \"ConsistentHash\"");
            }

            yield break;
        }

        var header = balancing.Header is { } name && name.Length > 0 && !name.AsSpan().ContainsAnyExcept(ConfigValidator.TokenChars);
        var cookie = balancing.Cookie is { } cookieName && cookieName.Length > 0 && !cookieName.AsSpan().ContainsAnyExcept(ConfigValidator.TokenChars);
        switch (balancing.Key)
        {
            case null:
                yield return (at + ".key", "ConsistentHash needs \"key\": \"Header\", \"Cookie\" or \"ClientIp\"");
                break;
            case HashKeyKind.Header when !header || balancing.Cookie is not null:
                yield return (at + ".header", "a hash keyed by Header needs \"header\": the header field name (and no \"cookie\")");
                break;
            case HashKeyKind.Cookie when !cookie || balancing.Header is not null:
                yield return (at + ".cookie", "a hash keyed by Cookie needs \"cookie\": the cookie's name (and no \"header\")");
                break;
            case HashKeyKind.ClientIp when (balancing.Header ?? balancing.Cookie) is not null:
                yield return (at, "a hash keyed by ClientIp takes neither \"header\" nor \"cookie\"");
                break;
        }
    }

    private static IEnumerable<(string Path, string Reason)> ActiveHealthErrors(ActiveHealthConfig? active, string at)
    {
        if (active is null)
        {
            yield break;
        }

        if (!IsRequestPath(active.Path))
        {
            yield return (at + ".path", $"path \"{active.Path}\" must start with '/' and hold no spaces, controls or '#'");
        }

        if (active.HealthyAfter < 1)
        {
            yield return (at + ".healthyAfter", $"healthyAfter must be at least 1, got {active.HealthyAfter}");
        }

        if (active.UnhealthyAfter < 1)
        {
            yield return (at + ".unhealthyAfter", $"unhealthyAfter must be at least 1, got {active.UnhealthyAfter}");
        }

        if (!StatusRange.TryParse(active.ExpectedStatus, out _))
        {
            yield return (at + ".expectedStatus", $"expected a status or a range such as \"200-399\", got \"{active.ExpectedStatus}\"");
        }

        foreach (var error in ConfigValidator.DurationErrors(active.Interval, at + ".interval").Concat(ConfigValidator.DurationErrors(active.Timeout, at + ".timeout")))
        {
            yield return error;
        }
    }

    private static IEnumerable<(string Path, string Reason)> PassiveHealthErrors(PassiveHealthConfig? passive, string at)
    {
        if (passive is null)
        {
            yield break;
        }

        if (passive.ConsecutiveFailures < 0)
        {
            yield return (at + ".consecutiveFailures", $"consecutiveFailures must be 0 (off) or more, got {passive.ConsecutiveFailures}");
        }

        if (passive.FailurePercent is < 0 or > 100)
        {
            yield return (at + ".failurePercent", $"failurePercent must be between 0 (off) and 100, got {passive.FailurePercent}");
        }

        if (passive.MinRequests < 1)
        {
            yield return (at + ".minRequests", $"minRequests must be at least 1, got {passive.MinRequests}");
        }

        if (passive.MaxEjectedPercent is < 1 or > 100)
        {
            yield return (at + ".maxEjectedPercent", $"maxEjectedPercent must be between 1 and 100, got {passive.MaxEjectedPercent}");
        }

        for (var j = 0; j < passive.FailureStatuses.Count; j++)
        {
            if (passive.FailureStatuses[j] is < 400 or > 599)
            {
                yield return ($"{at}.failureStatuses[{j}]", $"expected a status from 400 to 599, got {passive.FailureStatuses[j]}");
            }
        }

        foreach (var error in ConfigValidator.DurationErrors(passive.Window, at + ".window").Concat(ConfigValidator.DurationErrors(passive.EjectionTime, at + ".ejectionTime")))
        {
            yield return error;
        }
    }

    private static IEnumerable<(string Path, string Reason)> LimitErrors(ClusterConfig cluster, string at)
    {
        if (cluster.Limits is { } limits)
        {
            if (limits.MaxPendingRequests < 0)
            {
                yield return (at + ".limits.maxPendingRequests", $"maxPendingRequests must be 0 or more, got {limits.MaxPendingRequests}");
            }

            if (limits.MaxRequests < 0)
            {
                yield return (at + ".limits.maxRequests", $"maxRequests must be 0 (no cap) or more, got {limits.MaxRequests}");
            }
        }

        if (cluster.RetryBudget is { } budget)
        {
            if (budget.Percent is < 0 or > 100)
            {
                yield return (at + ".retryBudget.percent", $"percent must be between 0 and 100, got {budget.Percent}");
            }

            if (budget.MinConcurrency < 0)
            {
                yield return (at + ".retryBudget.minConcurrency", $"minConcurrency must be 0 or more, got {budget.MinConcurrency}");
            }
        }

        if (cluster.Connections is { } connections)
        {
            if (connections.Max < 1)
            {
                yield return (at + ".connections.max", $"max must be at least 1, got {connections.Max}");
            }

            foreach (var error in ConfigValidator.DurationErrors(connections.IdleTimeout, at + ".connections.idleTimeout")
                .Concat(ConfigValidator.DurationErrors(connections.Lifetime, at + ".connections.lifetime")))
            {
                yield return error;
            }
        }
    }

    /// <summary>The protocol's name, and destinations whose scheme it fits: h2c speaks to http:// ones, h2 to https:// ones.</summary>
    private static IEnumerable<(string Path, string Reason)> ProtocolErrors(ClusterConfig cluster, string at)
    {
        if (!TryParseProtocol(cluster.Protocol, out var protocol))
        {
            yield return (at + ".protocol", $"protocol must be \"http1\", \"h2c\" or \"h2\", got \"{cluster.Protocol}\"");
            yield break;
        }

        if (protocol == UpstreamProtocol.Http1)
        {
            yield break;
        }

        var scheme = protocol == UpstreamProtocol.H2c ? "http://" : "https://";
        for (var j = 0; j < cluster.Destinations.Count; j++)
        {
            if (cluster.Destinations[j]?.Url is { } url && DestinationUrl.FindProblem(url) is null && !url.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                yield return ($"{at}.destinations[{j}]", $"a cluster with protocol \"{cluster.Protocol}\" needs {scheme} destinations, got \"{url}\"");
            }
        }

        if (protocol == UpstreamProtocol.H2 && cluster.Tls?.Sni is not null)
        {
            yield return (at + ".tls.sni", "sni is not supported with protocol \"h2\" (the destination's host is sent and checked)");
        }
    }

    /// <summary>Reads a cluster's <c>protocol</c> (null is http1); false for any other name.</summary>
    public static bool TryParseProtocol(string? name, out UpstreamProtocol protocol)
    {
        (var known, protocol) = name switch
        {
            null or "http1" => (true, UpstreamProtocol.Http1),
            "h2c" => (true, UpstreamProtocol.H2c),
            "h2" => (true, UpstreamProtocol.H2),
            _ => (false, UpstreamProtocol.Http1),
        };
        return known;
    }

    private static IEnumerable<(string Path, string Reason)> TlsErrors(UpstreamTlsConfig? tls, string at)
    {
        if (tls is null)
        {
            yield break;
        }

        if (tls.Sni is { } sni && (sni.StartsWith("*.", StringComparison.Ordinal) || ConfigValidator.HostProblem(sni) is not null))
        {
            yield return (at + ".sni", $"\"{sni}\" is not a host name such as \"orders.internal\"");
        }

        if ((tls.ClientCert is null) != (tls.ClientKey is null))
        {
            yield return (at + (tls.ClientCert is null ? ".clientCert" : ".clientKey"), "a client certificate needs both \"clientCert\" and \"clientKey\"");
        }

        foreach (var (name, file) in new[] { ("ca", tls.Ca), ("clientCert", tls.ClientCert), ("clientKey", tls.ClientKey) })
        {
            if (file is { Length: 0 })
            {
                yield return ($"{at}.{name}", "expected a file path, got an empty string");
            }
        }
    }

    /// <summary>True when <paramref name="path"/> starts with '/' and holds no spaces, controls, non-ASCII characters or '#'.</summary>
    private static bool IsRequestPath(string path) => path.StartsWith('/') && !path.Any(c => c is <= ' ' or >= '\u007f' or '#');
}
