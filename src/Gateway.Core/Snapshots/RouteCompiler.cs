using System.Text;
using Gateway.Core.Authentication;
using Gateway.Core.Caching;
using Gateway.Core.Configuration;
using Gateway.Core.Observability;
using Gateway.Core.Pipeline;
using Gateway.Core.Policies;
using Gateway.Core.Routing;
using Gateway.Core.Upstreams;

namespace Gateway.Core.Snapshots;

/// <summary>
/// Compiles one route of the configuration: its steps (identity field removal, header transforms, IP filters, CORS,
/// authentication, authorization, rate limits, the response cache) and its handler (forwarding with
/// its path rewrite, a direct response, or an aggregate), with every template checked against the route's parameters.
/// </summary>
internal static class RouteCompiler
{
    /// <summary>Compiles <paramref name="route"/> (at <c>$.routes[index]</c> of <paramref name="source"/>) over the snapshot's clusters and policies.</summary>
    public static GatewayRoute Compile(
        RouteConfig route, int index, string source, Dictionary<string, Cluster> clusters, RoutePolicies policies, GatewayMetrics? metrics)
    {
        var parameters = ParameterNames(route, index, source);
        var steps = new List<RouteStep>();
        if (route.Transforms is { } transforms)
        {
            var at = $"$.routes[{index}].transforms";
            steps.Add(new HeaderTransformStep(
                CreateTransform(transforms.Request, parameters, at + ".request", source), CreateTransform(transforms.Response, parameters, at + ".response", source)));
        }

        if (policies.IdentityFields.Length > 0)
        {
            steps.Add(new IdentityFieldsStep(policies.IdentityFields));
        }

        byte[][] queryCredentials = [.. (route.Policies?.Authentication ?? []).Select(name => policies.Authenticators[name].QueryParameter).OfType<byte[]>()];
        if (queryCredentials.Length > 0)
        {
            steps.Add(new QueryCredentialStep(queryCredentials));
        }

        IpFilter[] filters = [.. new[] { policies.GatewayFilter, route.Policies?.IpFilter is { } filter ? new IpFilter(filter) : null }.OfType<IpFilter>()];
        if (filters.Length > 0)
        {
            steps.Add(new IpFilterStep(filters));
        }

        if (route.Policies?.Cors is { } cors)
        {
            steps.Add(new CorsStep(policies.Cors[cors]));
        }

        if (route.Policies?.Authentication is { Count: > 0 } authentication)
        {
            steps.Add(new AuthenticationStep([.. authentication.Select(name => policies.Authenticators[name])], route.Policies.IdentityHeaders));
        }

        if (route.Policies?.Authorization is { } authorization)
        {
            steps.Add(new AuthorizationStep(authorization));
        }

        if (route.Policies?.RateLimit is { Count: > 0 } names)
        {
            var limits = names.Select(name => policies.RateLimits[name]).ToLookup(limit => limit.Definition.Key is RateLimitKeyKind.Consumer or RateLimitKeyKind.Claim);
            foreach (var (keyedOnIdentity, stage) in new[] { (false, StepStage.RateLimit), (true, StepStage.IdentityRateLimit) })
            {
                if (limits[keyedOnIdentity].Any())
                {
                    steps.Add(new RateLimitStep([.. limits[keyedOnIdentity]], metrics, stage));
                }
            }
        }

        ForwardTarget? forward = route.Cluster is { } clusterName ? CreateForward(route, index, source, clusters[clusterName]) : null;
        if (route.Policies?.Cache is { } cache)
        {
            steps.Add(new CacheStep(policies.Caches[cache], Encoding.UTF8.GetBytes(route.Id), forward!));
        }

        return route.Respond is { } respond
            ? new GatewayRoute(route.Id, [.. steps], CreateDirectResponse(respond, parameters, $"$.routes[{index}].respond", source), metrics?.ForRoute(route.Id))
            : route.Aggregate is { } aggregate
            ? new GatewayRoute(route.Id, [.. steps], AggregateCompiler.Compile(aggregate, parameters, clusters, $"$.routes[{index}].aggregate", source), metrics?.ForRoute(route.Id))
            : new GatewayRoute(route.Id, [.. steps], forward!, metrics?.ForRoute(route.Id));
    }

    private static ForwardTarget CreateForward(RouteConfig route, int index, string source, Cluster cluster) => new(
        cluster,
        CreateRewrite(route, index, source),
        route.Retry is { } retry ? CreateRetry(retry) : null,
        route.Timeout is null ? null : SnapshotCompiler.DurationOr(route.Timeout, TimeSpan.Zero),
        route.Upgrade ?? true);

    /// <summary>The retry policy of a route's or an aggregate part's <paramref name="retry"/>.</summary>
    internal static RetryPolicy CreateRetry(RetryConfig retry) => new(
        retry.Attempts,
        retry.On.Contains("connect"),
        retry.On.Contains("reset"),
        retry.On.Contains("timeout"),
        [.. retry.On.Where(condition => int.TryParse(condition, out _)).Select(int.Parse)],
        retry.PerTryTimeout is null ? null : SnapshotCompiler.DurationOr(retry.PerTryTimeout, TimeSpan.Zero),
        SnapshotCompiler.DurationOr(retry.Backoff, TimeSpan.Zero),
        retry.IdempotencyKey,
        retry.MaxBodyBytes);

    private static PathRewrite? CreateRewrite(RouteConfig route, int index, string source)
    {
        if (route.Rewrite is null)
        {
            return null;
        }

        var stripPrefix = route.Rewrite.StripPrefix;
        try
        {
            return stripPrefix is not null
                ? PathRewrite.StripPrefix(stripPrefix)
                : PathRewrite.Template(route.Rewrite.Path!, ParameterNames(route, index, source));
        }
        catch (ArgumentException ex)
        {
            throw new ConfigException(source, $"$.routes[{index}].rewrite.{(stripPrefix is null ? "path" : "stripPrefix")}", ex.Message);
        }
    }

    private static IReadOnlyList<string> ParameterNames(RouteConfig route, int index, string source) =>
        RouteTemplate.TryParse(route.Match.Path, out var template, out var error)
            ? template.ParameterNames
            : throw new ConfigException(source, $"$.routes[{index}].match.path", error);

    private static DirectResponseHandler CreateDirectResponse(RespondConfig respond, IReadOnlyList<string> parameters, string at, string source)
    {
        var fields = respond.Headers.Select(pair => Field(pair.Key, pair.Value, parameters, ConfigJson.Member(at + ".headers", pair.Key), source)).ToList();
        if (respond.ContentType is { } contentType)
        {
            fields.Add(Field("Content-Type", contentType, [], at + ".contentType", source));
        }

        return new DirectResponseHandler(respond.Status, fields, respond.Body is null ? default : Encoding.UTF8.GetBytes(respond.Body));
    }

    private static HeaderTransform CreateTransform(HeaderTransformConfig? config, IReadOnlyList<string> parameters, string at, string source) => new(
        config?.Set.Select(pair => Field(pair.Key, pair.Value, parameters, ConfigJson.Member(at + ".set", pair.Key), source)).ToList() ?? [],
        config?.Remove.Select(name => Encoding.ASCII.GetBytes(name)).ToList() ?? []);

    private static (byte[] Name, ValueTemplate Value) Field(string name, string value, IReadOnlyList<string> parameters, string at, string source)
    {
        try
        {
            return (Encoding.ASCII.GetBytes(name), ValueTemplate.Parse(value, parameters));
        }
        catch (ArgumentException ex)
        {
            throw new ConfigException(source, at, ex.Message);
        }
    }
}
