namespace Gateway.Core.Configuration;

/// <summary>How a route changes the request path before forwarding: exactly one of the two properties is set.</summary>
public sealed record RouteRewriteConfig
{
    /// <summary>A leading path segment to remove, e.g. <c>/api</c> turns <c>/api/products/1</c> into <c>/products/1</c>.</summary>
    public string? StripPrefix { get; set; }

    /// <summary>The upstream path template, filled with the route's path parameters, e.g. <c>/v1/orders/{id}</c>.</summary>
    public string? Path { get; set; }
}
