namespace Gateway.Core.Routing;

/// <summary>One match walk over the route tree: literal, then parameter, then catch-all at each segment, backtracking on dead ends.</summary>
internal ref struct RouteSearch<TRoute>
{
    private readonly ReadOnlySpan<byte> _path;
    private readonly ReadOnlySpan<int> _hostIds;
    private readonly ulong _methodBit;
    private readonly Span<Range> _parameters;

    /// <summary>Prepares a walk for a request whose host matched <paramref name="hostIds"/> (most specific first) and whose method has <paramref name="methodBit"/>.</summary>
    public RouteSearch(ReadOnlySpan<byte> path, ReadOnlySpan<int> hostIds, ulong methodBit, Span<Range> parameters)
    {
        _path = path;
        _hostIds = hostIds;
        _methodBit = methodBit;
        _parameters = parameters;
    }

    /// <summary>The route found, once <see cref="Visit"/> returned true.</summary>
    public RouteEntry<TRoute>? Result { get; private set; }

    /// <summary>The methods of the routes that matched path and host but not the method.</summary>
    public ulong RejectedMethods { get; private set; }

    /// <summary>
    /// Matches the rest of the path from <paramref name="position"/> (a '/' or the end) against <paramref name="node"/>,
    /// with <paramref name="parameterCount"/> parameters captured so far.
    /// </summary>
    public bool Visit(RouteNode<TRoute> node, int position, int parameterCount)
    {
        // The end of the path, or a single trailing slash.
        if (position >= _path.Length - 1)
        {
            return TryLeaf(node.End) || TryCatchAll(node, position, parameterCount);
        }

        var start = position + 1;
        var length = _path[start..].IndexOf((byte)'/');
        var end = length < 0 ? _path.Length : start + length;
        if (end > start)
        {
            if (node.FindLiteral(_path[start..end]) is { } literal && Visit(literal, end, parameterCount))
            {
                return true;
            }

            if (node.Parameter is { } parameter)
            {
                _parameters[parameterCount] = start..end;
                if (Visit(parameter, end, parameterCount + 1))
                {
                    return true;
                }
            }
        }

        return TryCatchAll(node, position, parameterCount);
    }

    private bool TryCatchAll(RouteNode<TRoute> node, int position, int parameterCount)
    {
        if (node.CatchAll is null)
        {
            return false;
        }

        _parameters[parameterCount] = Math.Min(position + 1, _path.Length).._path.Length;
        return TryLeaf(node.CatchAll);
    }

    private bool TryLeaf(RouteLeaf<TRoute>? leaf)
    {
        if (leaf is null)
        {
            return false;
        }

        foreach (var hostId in _hostIds)
        {
            foreach (var candidate in leaf.Find(hostId))
            {
                if (candidate.Methods == 0 || (candidate.Methods & _methodBit) != 0)
                {
                    Result = candidate.Route;
                    return true;
                }

                RejectedMethods |= candidate.Methods;
            }
        }

        return false;
    }
}
