namespace Gateway.Core.Routing;

/// <summary>A route waiting at a leaf of the tree, with its method set as bits of the table's <see cref="MethodTable"/> (0 = any method).</summary>
internal readonly record struct RouteCandidate<TRoute>(RouteEntry<TRoute> Route, ulong Methods);
