using System.Text;
using Gateway.Core.Aggregation;
using Gateway.Core.Configuration;
using Gateway.Core.Upstreams;

namespace Gateway.Core.Snapshots;

/// <summary>
/// Compiles a route's <c>aggregate</c>: each part's target template against the route's parameters and the other parts,
/// and the order the parts start in, refusing a part that uses an unknown part or parts that depend on each other in a cycle.
/// </summary>
internal static class AggregateCompiler
{
    /// <summary>The handler for <paramref name="config"/> at <paramref name="at"/> of <paramref name="source"/>.</summary>
    public static AggregateHandler Compile(AggregateConfig config, IReadOnlyList<string> parameters, Dictionary<string, Cluster> clusters, string at, string source)
    {
        var names = config.Parts.Keys.ToList();
        var parts = config.Parts.Select(pair =>
        {
            var (name, part) = (pair.Key, pair.Value);
            var partAt = ConfigJson.Member(at + ".parts", name);
            var target = PartTemplate.Parse(part.Path, parameters, names, out var problem)
                ?? throw new ConfigException(source, partAt + ".path", problem);
            return new AggregatePart(
                name,
                clusters[part.Cluster],
                Encoding.ASCII.GetBytes(part.Method),
                target,
                part.Optional,
                part.Timeout is null ? clusters[part.Cluster].Timeout : SnapshotCompiler.DurationOr(part.Timeout, TimeSpan.Zero),
                part.Fields.Count == 0 ? null : part.Fields.ToHashSet(StringComparer.Ordinal),
                part.Headers?.Select(Encoding.ASCII.GetBytes).ToArray(),
                part.Retry is null ? null : RouteCompiler.CreateRetry(part.Retry),
                part.MaxBytes);
        }).ToArray();
        return new AggregateHandler(
            parts,
            StartOrder(parts, at, source),
            config.Timeout is null ? null : SnapshotCompiler.DurationOr(config.Timeout, TimeSpan.Zero),
            config.Merge == AggregateMerge.Top);
    }

    /// <summary>The parts' indexes with every part after those it depends on; a cycle is a configuration error.</summary>
    private static int[] StartOrder(AggregatePart[] parts, string at, string source)
    {
        var order = new List<int>(parts.Length);
        var placed = new bool[parts.Length];
        while (order.Count < parts.Length)
        {
            var next = -1;
            for (var i = 0; i < parts.Length && next < 0; i++)
            {
                next = !placed[i] && parts[i].Target.Dependencies.All(dependency => placed[dependency]) ? i : -1;
            }

            if (next < 0)
            {
                var cycle = parts.Where((_, i) => !placed[i]).Select(part => $"\"{part.Name}\"");
                throw new ConfigException(source, at + ".parts", $"the parts {string.Join(", ", cycle)} wait for each other's fields in a cycle");
            }

            placed[next] = true;
            order.Add(next);
        }

        return [.. order];
    }
}
