namespace Gateway.Core.Routing;

/// <summary>Thrown by <see cref="RouteTable{TRoute}.Build"/> for a route that cannot be registered.</summary>
public sealed class RouteBuildException(int routeIndex, string field, string message) : Exception(message)
{
    /// <summary>The index of the offending route in the list given to Build.</summary>
    public int RouteIndex { get; } = routeIndex;

    /// <summary>The offending field: "path", "methods" or "hosts".</summary>
    public string Field { get; } = field;
}
