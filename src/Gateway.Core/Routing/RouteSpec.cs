namespace Gateway.Core.Routing;

/// <summary>One route to register: a path template, optional method and host filters, a tie-breaking order and the caller's value (empty methods or hosts mean any).</summary>
public sealed record RouteSpec<TRoute>(string Id, string Path, IReadOnlyList<string> Methods, IReadOnlyList<string> Hosts, int Order, TRoute Value);
