namespace Gateway.Core.Routing;

/// <summary>How a host pattern matches request hosts.</summary>
internal enum HostPatternKind
{
    /// <summary>No host restriction.</summary>
    Any,

    /// <summary><c>*.example.com</c>: any host with at least one more label.</summary>
    Wildcard,

    /// <summary><c>api.example.com</c>: that host only.</summary>
    Exact,
}
