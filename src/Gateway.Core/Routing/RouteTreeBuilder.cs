using System.Text;

namespace Gateway.Core.Routing;

/// <summary>Collects routes into a mutable segment tree, rejecting ambiguous ones, then compiles it into <see cref="RouteNode{TRoute}"/>s.</summary>
internal sealed class RouteTreeBuilder<TRoute>
{
    private readonly Node _root = new();

    /// <summary>Adds the route at <paramref name="index"/>; throws <see cref="RouteBuildException"/> if an earlier route makes it ambiguous.</summary>
    public void Add(int index, RouteEntry<TRoute> route, RouteTemplate template, IReadOnlyList<HostPattern> hosts)
    {
        var node = _root;
        var endsWithCatchAll = false;
        foreach (var segment in template.Segments)
        {
            switch (segment.Kind)
            {
                case SegmentKind.Literal:
                    var key = segment.Text.ToLowerInvariant();
                    if (!node.Literals.TryGetValue(key, out var child))
                    {
                        child = new Node();
                        node.Literals.Add(key, child);
                    }

                    node = child;
                    break;
                case SegmentKind.Parameter:
                    node = node.Parameter ??= new Node();
                    break;
                default:
                    endsWithCatchAll = true;
                    break;
            }
        }

        var leaf = endsWithCatchAll ? node.CatchAll : node.End;
        IReadOnlyList<HostPattern> patterns = hosts.Count == 0 ? [HostPattern.Any] : hosts;
        foreach (var host in patterns)
        {
            foreach (var other in leaf)
            {
                if (other.Host == host && other.Route.Order == route.Order && MethodsOverlap(other.Route.Methods, route.Methods))
                {
                    throw new RouteBuildException(index, "path", DescribeConflict(route, other.Route, host));
                }
            }
        }

        foreach (var host in patterns)
        {
            leaf.Add(new Registration(route, host));
        }
    }

    /// <summary>Compiles the tree; also prepares the Allow values of every host group of every leaf.</summary>
    public RouteNode<TRoute> Compile(MethodTable methods, HostPatternTable hosts) => Compile(_root, methods, hosts);

    private static RouteNode<TRoute> Compile(Node node, MethodTable methods, HostPatternTable hosts)
    {
        var literals = node.Literals.OrderBy(pair => pair.Key, StringComparer.Ordinal).ToArray();
        return new RouteNode<TRoute>(
            literals.Select(pair => Encoding.ASCII.GetBytes(pair.Key)).ToArray(),
            literals.Select(pair => Compile(pair.Value, methods, hosts)).ToArray(),
            node.Parameter is null ? null : Compile(node.Parameter, methods, hosts),
            CompileLeaf(node.End, methods, hosts),
            CompileLeaf(node.CatchAll, methods, hosts));
    }

    private static RouteLeaf<TRoute>? CompileLeaf(List<Registration> registrations, MethodTable methods, HostPatternTable hosts)
    {
        if (registrations.Count == 0)
        {
            return null;
        }

        var groups = registrations.GroupBy(r => hosts.IdOf(r.Host)).OrderBy(group => group.Key).ToArray();
        var leaf = new RouteLeaf<TRoute>(
            groups.Select(group => group.Key).ToArray(),
            groups.Select(group => group
                .OrderBy(r => r.Route.Order)
                .Select(r => new RouteCandidate<TRoute>(r.Route, methods.MaskOf(r.Route.Methods)))
                .ToArray()).ToArray());
        PrecomputeAllowValues(leaf, groups.Select(group => group.First().Host), methods, hosts);
        return leaf;
    }

    /// <summary>
    /// For each host pattern of the leaf, the Allow value of a request host matching it: the methods of every group
    /// that host also matches. (A 405 across several path shapes gets its value on first use.)
    /// </summary>
    private static void PrecomputeAllowValues(RouteLeaf<TRoute> leaf, IEnumerable<HostPattern> patterns, MethodTable methods, HostPatternTable hosts)
    {
        Span<int> ids = stackalloc int[hosts.MaxMatches];
        foreach (var pattern in patterns)
        {
            var mask = 0UL;
            foreach (var id in ids[..hosts.Match(Encoding.ASCII.GetBytes(pattern.ToString()), ids)])
            {
                foreach (var candidate in leaf.Find(id))
                {
                    mask |= candidate.Methods;
                }
            }

            if (mask != 0)
            {
                methods.Precompute(mask);
            }
        }
    }

    private static bool MethodsOverlap(IReadOnlyList<string> first, IReadOnlyList<string> second) =>
        first.Count == 0 || second.Count == 0 || first.Intersect(second, StringComparer.Ordinal).Any();

    private static string DescribeConflict(RouteEntry<TRoute> route, RouteEntry<TRoute> other, HostPattern host)
    {
        var methods = route.Methods.Count == 0 ? other.Methods
            : other.Methods.Count == 0 ? route.Methods
            : route.Methods.Intersect(other.Methods, StringComparer.Ordinal).ToArray();
        var methodText = methods.Count == 0 ? "any method" : "method " + string.Join(", ", methods);
        return $"route \"{route.Id}\" is ambiguous with route \"{other.Id}\": paths \"{route.Path}\" and \"{other.Path}\" "
            + $"have the same shape, and both apply to {host.Describe()} and {methodText} with order {route.Order}";
    }

    /// <summary>A route registered at a leaf for one of its host patterns.</summary>
    private sealed record Registration(RouteEntry<TRoute> Route, HostPattern Host);

    /// <summary>A mutable tree position during the build.</summary>
    private sealed class Node
    {
        public Dictionary<string, Node> Literals { get; } = new(StringComparer.Ordinal);

        public Node? Parameter { get; set; }

        public List<Registration> End { get; } = [];

        public List<Registration> CatchAll { get; } = [];
    }
}
