namespace Gateway.Core.Routing;

/// <summary>A registered route as the router knows it: methods upper-cased where they are plain words, hosts lower-cased.</summary>
public sealed class RouteEntry<TRoute>
{
    internal RouteEntry(
        string id,
        TRoute value,
        IReadOnlyList<string> parameterNames,
        string path,
        IReadOnlyList<string> methods,
        IReadOnlyList<string> hosts,
        int order)
    {
        Id = id;
        Value = value;
        ParameterNames = parameterNames;
        Path = path;
        Methods = methods;
        Hosts = hosts;
        Order = order;
    }

    /// <summary>The route id from the configuration.</summary>
    public string Id { get; }

    /// <summary>The caller's value for this route.</summary>
    public TRoute Value { get; }

    /// <summary>The names of the path parameters in template order, the catch-all (if any) last.</summary>
    public IReadOnlyList<string> ParameterNames { get; }

    /// <summary>The path template as registered.</summary>
    public string Path { get; }

    /// <summary>The accepted methods, distinct; empty means any method.</summary>
    public IReadOnlyList<string> Methods { get; }

    /// <summary>The accepted host patterns, distinct and lower-case; empty means any host.</summary>
    public IReadOnlyList<string> Hosts { get; }

    /// <summary>The tie-breaker among routes with the same path shape and host: lower wins.</summary>
    public int Order { get; }
}
