using System.Text;
using Gateway.Core.Configuration;

namespace Gateway.Core.Docs;

/// <summary>
/// The flow of a configuration as a graph: frontends → routes → their steps → clusters (or direct responses) →
/// destinations, with an aggregate's arrows to each part's cluster labelled by the part; and as Mermaid flowchart text.
/// </summary>
public sealed class RouteDiagram
{
    private RouteDiagram(IReadOnlyList<DiagramNode> nodes, IReadOnlyList<DiagramEdge> edges)
    {
        Nodes = nodes;
        Edges = edges;
    }

    /// <summary>The boxes, column by column in configuration order.</summary>
    public IReadOnlyList<DiagramNode> Nodes { get; }

    /// <summary>The arrows.</summary>
    public IReadOnlyList<DiagramEdge> Edges { get; }

    /// <summary>The diagram of <paramref name="config"/>.</summary>
    public static RouteDiagram Of(GatewayConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var nodes = new List<DiagramNode>();
        var edges = new List<DiagramEdge>();
        var frontends = new Dictionary<string, string>(StringComparer.Ordinal);
        if (config.Routes.Any(route => route.Frontend is null))
        {
            nodes.Add(new DiagramNode("f0", DiagramKind.Frontend, ["default frontend"]));
            frontends[""] = "f0";
        }

        foreach (var (name, frontend) in config.Frontends)
        {
            frontends[name] = $"f{frontends.Count}";
            nodes.Add(new DiagramNode(frontends[name], DiagramKind.Frontend, [$"frontend {name}", .. frontend.Hosts.Count > 0 ? frontend.Hosts : frontend.Listen]));
        }

        var clusters = config.Clusters.Keys.Select((name, i) => (name, i)).ToDictionary(c => c.name, c => $"c{c.i}", StringComparer.Ordinal);
        for (var i = 0; i < config.Routes.Count; i++)
        {
            var route = config.Routes[i];
            var methods = route.Match.Methods.Count > 0 ? string.Join(',', route.Match.Methods) : "any";
            nodes.Add(new DiagramNode($"r{i}", DiagramKind.Route, [route.Id, $"{methods} {route.Match.Path}", .. route.Match.Hosts]));
            if (frontends.TryGetValue(route.Frontend ?? "", out var frontendId))
            {
                edges.Add(new DiagramEdge(frontendId, $"r{i}"));
            }

            var last = $"r{i}";
            if (RouteSteps.Of(route.Policies).ToList() is { Count: > 0 } steps)
            {
                nodes.Add(new DiagramNode($"s{i}", DiagramKind.Steps, steps));
                edges.Add(new DiagramEdge(last, $"s{i}"));
                last = $"s{i}";
            }

            if (route.Respond is { } respond)
            {
                nodes.Add(new DiagramNode($"x{i}", DiagramKind.Response, [$"respond {respond.Status}"]));
                edges.Add(new DiagramEdge(last, $"x{i}"));
            }
            else if (route.Aggregate is { } aggregate)
            {
                edges.AddRange(aggregate.Parts.Where(part => clusters.ContainsKey(part.Value.Cluster)).Select(part => new DiagramEdge(last, clusters[part.Value.Cluster], part.Key)));
            }
            else if (route.Cluster is { } cluster && clusters.TryGetValue(cluster, out var clusterId))
            {
                edges.Add(new DiagramEdge(last, clusterId));
            }
        }

        foreach (var (name, cluster) in config.Clusters)
        {
            nodes.Add(new DiagramNode(clusters[name], DiagramKind.Cluster, [$"cluster {name}", .. cluster.OpenApi is { } openApi ? [$"openapi {openApi}"] : Array.Empty<string>()]));
            for (var j = 0; j < cluster.Destinations.Count; j++)
            {
                var destination = cluster.Destinations[j];
                var id = $"{clusters[name]}d{j}";
                nodes.Add(new DiagramNode(id, DiagramKind.Destination, [destination.Url, .. destination.Weight != 1 ? [$"weight {destination.Weight}"] : Array.Empty<string>()]));
                edges.Add(new DiagramEdge(clusters[name], id));
            }
        }

        return new RouteDiagram([.. nodes.OrderBy(node => node.Column)], edges);
    }

    /// <summary>The diagram as a Mermaid flowchart, left to right.</summary>
    public string ToMermaid()
    {
        var text = new StringBuilder("flowchart LR\n");
        foreach (var node in Nodes)
        {
            var label = '"' + string.Join("<br/>", node.Lines.Select(Escape)) + '"';
            text.Append("  ").Append(node.Id).Append(node.Kind switch
            {
                DiagramKind.Frontend => $"([{label}])",
                DiagramKind.Steps => $"[/{label}/]",
                DiagramKind.Cluster => $"[({label})]",
                DiagramKind.Response => $"{{{{{label}}}}}",
                _ => $"[{label}]",
            }).Append('\n');
        }

        foreach (var edge in Edges)
        {
            text.Append("  ").Append(edge.From).Append(edge.Label is { } label ? $" -->|\"{Escape(label)}\"| " : " --> ").Append(edge.To).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Text safe inside a quoted Mermaid label: quotes and markup characters as entity codes.</summary>
    private static string Escape(string text) =>
        text.Replace("\"", "#quot;", StringComparison.Ordinal).Replace("<", "#lt;", StringComparison.Ordinal).Replace(">", "#gt;", StringComparison.Ordinal);
}
