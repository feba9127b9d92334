namespace Gateway.Core.Routing;

/// <summary>The outcome of <see cref="RouteTable{TRoute}.Match"/>.</summary>
public enum RouteMatchStatus
{
    /// <summary>A route matched host, method and path.</summary>
    Matched,

    /// <summary>No route matches the host and path.</summary>
    NotFound,

    /// <summary>Routes match the host and path, but none accepts the method.</summary>
    MethodNotAllowed,
}
