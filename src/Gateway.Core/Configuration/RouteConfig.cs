namespace Gateway.Core.Configuration;

/// <summary>One route: which requests it matches, its one handler (a cluster, a direct response or an aggregate), its steps and its header transforms.</summary>
public sealed record RouteConfig
{
    /// <summary>Unique name of the route, shown in logs, metrics and the admin API.</summary>
    public string Id { get; set; } = "";

    /// <summary>The name of the frontend (in <see cref="GatewayConfig.Frontends"/>) whose listeners and hosts serve the route; null for the default frontend.</summary>
    public string? Frontend { get; set; }

    /// <summary>The requests this route matches.</summary>
    public RouteMatchConfig Match { get; set; } = new();

    /// <summary>Name of the cluster the matched requests are forwarded to; null when the route answers with <see cref="Respond"/>.</summary>
    public string? Cluster { get; set; }

    /// <summary>The response the gateway answers with itself, without an upstream; null when the route forwards to <see cref="Cluster"/>.</summary>
    public RespondConfig? Respond { get; set; }

    /// <summary>Several upstream calls answered as one JSON document; null when the route forwards or responds directly.</summary>
    public AggregateConfig? Aggregate { get; set; }

    /// <summary>Precedence among routes that match a request equally well; lower comes first.</summary>
    public int Order { get; set; }

    /// <summary>The longest the whole exchange may take, every try included (e.g. "10s"); null sets no limit beyond the cluster's.</summary>
    public string? Timeout { get; set; }

    /// <summary>Retries of failed tries; null retries nothing (a connect failure still fails over).</summary>
    public RetryConfig? Retry { get; set; }

    /// <summary>Whether a WebSocket upgrade may go through to the cluster (default true); false forwards it as a plain request. Only for a route with <see cref="Cluster"/>.</summary>
    public bool? Upgrade { get; set; }

    /// <summary>How the request path is changed before forwarding; null forwards it unchanged.</summary>
    public RouteRewriteConfig? Rewrite { get; set; }

    /// <summary>The policies applied to matched requests before forwarding; null applies none.</summary>
    public RoutePoliciesConfig? Policies { get; set; }

    /// <summary>Header fields set on or removed from the request toward the upstream and the response toward the client; null changes none.</summary>
    public TransformsConfig? Transforms { get; set; }
}
