namespace Gateway.Core.Configuration;

/// <summary>One route: which requests it matches, the cluster that serves them and how the path is rewritten.</summary>
public sealed record RouteConfig
{
    /// <summary>Unique name of the route, shown in logs, metrics and the admin API.</summary>
    public string Id { get; set; } = "";

    /// <summary>The requests this route matches.</summary>
    public RouteMatchConfig Match { get; set; } = new();

    /// <summary>Name of the cluster the matched requests are forwarded to.</summary>
    public string Cluster { get; set; } = "";

    /// <summary>Precedence among routes that match a request equally well; lower comes first.</summary>
    public int Order { get; set; }

    /// <summary>How the request path is changed before forwarding; null forwards it unchanged.</summary>
    public RouteRewriteConfig? Rewrite { get; set; }

    /// <summary>The policies applied to matched requests before forwarding; null applies none.</summary>
    public RoutePoliciesConfig? Policies { get; set; }
}
