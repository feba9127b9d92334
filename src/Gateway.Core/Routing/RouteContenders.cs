using System.Text;

namespace Gateway.Core.Routing;

/// <summary>The walk behind <see cref="RouteTable{TRoute}.Contenders"/>: the tree visited as a match does, without stopping at the first route.</summary>
internal static class RouteContenders
{
    /// <summary>The routes of the leaves <paramref name="path"/> reaches, by path precedence, then host specificity and order.</summary>
    public static List<RouteContender<TRoute>> Find<TRoute>(RouteNode<TRoute> root, HostPatternTable hosts, MethodTable methods, string host, string method, string path)
    {
        var hostIds = new int[hosts.MaxMatches];
        var hostCount = hosts.Match(Encoding.ASCII.GetBytes(host), hostIds);
        var methodBit = methods.BitOf(Encoding.ASCII.GetBytes(method));
        var leaves = new List<RouteLeaf<TRoute>>();
        if (path.StartsWith('/'))
        {
            Collect(root, Encoding.UTF8.GetBytes(path), 0, leaves);
        }

        var contenders = new List<RouteContender<TRoute>>();
        for (var pathRank = 0; pathRank < leaves.Count; pathRank++)
        {
            var leaf = leaves[pathRank];
            var seen = new HashSet<RouteEntry<TRoute>>();
            for (var hostRank = 0; hostRank < hostCount; hostRank++)
            {
                foreach (var candidate in leaf.Find(hostIds[hostRank]))
                {
                    if (seen.Add(candidate.Route))
                    {
                        contenders.Add(new(candidate.Route, pathRank, hostRank, Accepts(candidate, methodBit)));
                    }
                }
            }

            foreach (var candidate in leaf.All.Where(candidate => seen.Add(candidate.Route)))
            {
                contenders.Add(new(candidate.Route, pathRank, -1, Accepts(candidate, methodBit)));
            }
        }

        return contenders;
    }

    private static bool Accepts<TRoute>(RouteCandidate<TRoute> candidate, ulong methodBit) => candidate.Methods == 0 || (candidate.Methods & methodBit) != 0;

    /// <summary>Adds the leaves matching the rest of <paramref name="path"/> from <paramref name="position"/>, in the order <see cref="RouteSearch{TRoute}.Visit"/> tries them.</summary>
    private static void Collect<TRoute>(RouteNode<TRoute> node, byte[] path, int position, List<RouteLeaf<TRoute>> leaves)
    {
        if (position >= path.Length - 1)
        {
            AddLeaf(node.End, leaves);
            AddLeaf(node.CatchAll, leaves);
            return;
        }

        var start = position + 1;
        var length = path.AsSpan(start).IndexOf((byte)'/');
        var end = length < 0 ? path.Length : start + length;
        if (end > start)
        {
            if (node.FindLiteral(path.AsSpan(start, end - start)) is { } literal)
            {
                Collect(literal, path, end, leaves);
            }

            if (node.Parameter is { } parameter)
            {
                Collect(parameter, path, end, leaves);
            }
        }

        AddLeaf(node.CatchAll, leaves);
    }

    private static void AddLeaf<TRoute>(RouteLeaf<TRoute>? leaf, List<RouteLeaf<TRoute>> leaves)
    {
        if (leaf is not null)
        {
            leaves.Add(leaf);
        }
    }
}
