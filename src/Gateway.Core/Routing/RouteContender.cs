namespace Gateway.Core.Routing;

/// <summary>A route whose path template matches a request's path, as <see cref="RouteTable{TRoute}.Contenders"/> finds it.</summary>
/// <param name="Route">The route.</param>
/// <param name="PathRank">Its path shape's precedence for this path: 0 for the most specific shape that matches.</param>
/// <param name="HostRank">Which of the request host's matching patterns it is registered for, 0 the most specific; -1 when none.</param>
/// <param name="AcceptsMethod">True when it accepts the request's method.</param>
public sealed record RouteContender<TRoute>(RouteEntry<TRoute> Route, int PathRank, int HostRank, bool AcceptsMethod);
