using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Gateway.Core.Docs;

namespace Gateway.Host.Admin;

/// <summary>A <see cref="RouteDiagram"/> drawn as inline SVG: one column per kind of node, boxes stacked in each, curved arrows between them.</summary>
internal static class DiagramSvg
{
    private const int ColumnWidth = 250, BoxWidth = 210, LineHeight = 16, Padding = 8, Gap = 14, Top = 34, MaxChars = 30;
    private static readonly string[] Headings = ["frontends", "routes", "steps", "clusters", "destinations"];

    /// <summary>The SVG element of <paramref name="diagram"/>.</summary>
    public static string Render(RouteDiagram diagram)
    {
        var boxes = new Dictionary<string, (int X, int Y, int Height)>(StringComparer.Ordinal);
        var heights = new int[Headings.Length];
        Array.Fill(heights, Top);

        // Column by column, each box goes level with the boxes that point to it (the mean of their middles), so arrows cross less.
        foreach (var column in diagram.Nodes.GroupBy(node => node.Column).OrderBy(column => column.Key))
        {
            foreach (var node in column.OrderBy(node => MeanSourceY(node, diagram.Edges, boxes)))
            {
                var height = (node.Lines.Count * LineHeight) + (2 * Padding);
                boxes[node.Id] = (node.Column * ColumnWidth, heights[node.Column], height);
                heights[node.Column] += height + Gap;
            }
        }

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" class="diagram" width="{Headings.Length * ColumnWidth}" height="{heights.Max()}" role="img" aria-label="frontends, routes, steps, clusters and destinations">""");
        for (var i = 0; i < Headings.Length; i++)
        {
            svg.Append(CultureInfo.InvariantCulture, $"""<text class="heading" x="{(i * ColumnWidth) + 4}" y="16">{Headings[i]}</text>""");
        }

        foreach (var edge in diagram.Edges.Where(edge => boxes.ContainsKey(edge.From) && boxes.ContainsKey(edge.To)))
        {
            var (from, to) = (boxes[edge.From], boxes[edge.To]);
            var (x1, y1, x2, y2) = (from.X + BoxWidth, from.Y + (from.Height / 2), to.X, to.Y + (to.Height / 2));
            var middle = (x1 + x2) / 2;
            svg.Append(CultureInfo.InvariantCulture, $"""<path class="edge" d="M{x1},{y1} C{middle},{y1} {middle},{y2} {x2},{y2}" marker-end="url(#arrow)"/>""");
            if (edge.Label is { } label)
            {
                svg.Append(CultureInfo.InvariantCulture, $"""<text class="label" x="{middle}" y="{((y1 + y2) / 2) - 3}">{Encode(label)}</text>""");
            }
        }

        svg.Append("""<defs><marker id="arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L8,4 L0,8 z"/></marker></defs>""");
        foreach (var node in diagram.Nodes)
        {
            var (x, y, height) = boxes[node.Id];
            svg.Append(CultureInfo.InvariantCulture, $"""<g class="node {node.Kind.ToString().ToLowerInvariant()}"><title>{Encode(string.Join('\n', node.Lines))}</title>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{x}" y="{y}" width="{BoxWidth}" height="{height}" rx="6"/>""");
            for (var i = 0; i < node.Lines.Count; i++)
            {
                var line = node.Lines[i].Length > MaxChars ? node.Lines[i][..(MaxChars - 1)] + "…" : node.Lines[i];
                svg.Append(CultureInfo.InvariantCulture, $"""<text x="{x + Padding}" y="{y + Padding + ((i + 1) * LineHeight) - 4}"{(i == 0 ? " class=\"first\"" : "")}>{Encode(line)}</text>""");
            }

            svg.Append("</g>");
        }

        return svg.Append("</svg>").ToString();
    }

    /// <summary>The mean middle height of the placed boxes with an arrow to <paramref name="node"/>; past every other when there are none.</summary>
    private static double MeanSourceY(DiagramNode node, IReadOnlyList<DiagramEdge> edges, Dictionary<string, (int X, int Y, int Height)> boxes)
    {
        var sources = edges.Where(edge => edge.To == node.Id && boxes.ContainsKey(edge.From)).Select(edge => boxes[edge.From]).ToList();
        return sources.Count == 0 ? double.MaxValue : sources.Average(box => box.Y + (box.Height / 2.0));
    }

    private static string Encode(string text) => HtmlEncoder.Default.Encode(text);
}
