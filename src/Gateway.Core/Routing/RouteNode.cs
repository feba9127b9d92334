namespace Gateway.Core.Routing;

/// <summary>A position in the compiled route tree, after some path segments: what may follow it and which routes end there.</summary>
internal sealed class RouteNode<TRoute>(
    byte[][] literalKeys,
    RouteNode<TRoute>[] literalChildren,
    RouteNode<TRoute>? parameter,
    RouteLeaf<TRoute>? end,
    RouteLeaf<TRoute>? catchAll)
{
    /// <summary>The child reached by a <c>{name}</c> segment.</summary>
    public RouteNode<TRoute>? Parameter { get; } = parameter;

    /// <summary>The routes whose template ends here.</summary>
    public RouteLeaf<TRoute>? End { get; } = end;

    /// <summary>The routes whose template ends here with a <c>{*name}</c> segment.</summary>
    public RouteLeaf<TRoute>? CatchAll { get; } = catchAll;

    /// <summary>The child reached by the literal <paramref name="segment"/> (ASCII case-insensitive), or null.</summary>
    public RouteNode<TRoute>? FindLiteral(ReadOnlySpan<byte> segment)
    {
        var index = AsciiFolding.IndexOf(literalKeys, segment);
        return index >= 0 ? literalChildren[index] : null;
    }
}
