using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Core.Docs;

namespace Gateway.Host.Admin;

/// <summary>
/// <c>GET /docs</c>: the OpenAPI documents rendered for a person as one self-contained HTML page (inline CSS and a few lines of
/// inline script, nothing fetched): the diagram, then each frontend's operations grouped by tag with their parameters,
/// request bodies, responses, security and <c>x-</c> extensions.
/// </summary>
internal static class DocsPage
{
    /// <summary>What the page may load: nothing beyond itself.</summary>
    public const string ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

    private static readonly JsonSerializerOptions CompactJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private const string Style = """
        body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
        header{background:#1d2330;color:#fff;padding:16px 28px}header h1{margin:0;font-size:22px}header p{margin:4px 0 0;color:#c5cad3}
        main{padding:8px 28px 40px}section{margin-top:22px}h2{font-size:19px;border-bottom:1px solid #d5d9e0;padding-bottom:4px}
        h3{font-size:15px;margin:18px 0 6px;color:#46506a;text-transform:uppercase;letter-spacing:.04em}
        .diagram-box{overflow-x:auto;background:#fff;border:1px solid #d5d9e0;border-radius:8px;padding:10px}
        svg.diagram text{font:12px system-ui,sans-serif;fill:#1d2330}svg.diagram text.first{font-weight:600}svg.diagram text.heading{font-weight:700;fill:#46506a;text-transform:uppercase}
        svg.diagram rect{fill:#fff;stroke:#8893a7}svg.diagram .frontend rect{fill:#e7eefc}svg.diagram .route rect{fill:#eef7ee}svg.diagram .steps rect{fill:#fdf5e6}
        svg.diagram .cluster rect{fill:#f2ecfb}svg.diagram .response rect{fill:#fbeaea}svg.diagram .destination rect{fill:#f4f5f7}
        svg.diagram .edge{fill:none;stroke:#8893a7;stroke-width:1.3}svg.diagram text.label{fill:#7a4d00;text-anchor:middle}
        details.operation{background:#fff;border:1px solid #d5d9e0;border-radius:6px;margin:6px 0}
        details.operation>summary{cursor:pointer;padding:7px 10px;list-style:none;display:flex;gap:10px;align-items:center}
        .method{font-weight:700;font-size:12px;color:#fff;border-radius:4px;padding:2px 7px;min-width:52px;text-align:center;text-transform:uppercase}
        .get{background:#2f7bd8}.post{background:#2e9b5f}.put{background:#c47f16}.patch{background:#8a5cc2}.delete{background:#c73d3d}.head,.options,.trace{background:#6b7280}
        .path{font:600 13px ui-monospace,monospace}.summary{color:#46506a}.lock{margin-left:auto;font-size:12px;color:#7a4d00}
        .body{padding:4px 14px 12px;border-top:1px solid #eceff3}table{border-collapse:collapse;margin:6px 0}td,th{border:1px solid #e1e4ea;padding:3px 8px;text-align:left;vertical-align:top}
        th{background:#f4f5f7}code,pre{font:12px ui-monospace,monospace}pre{background:#f4f5f7;padding:6px 8px;border-radius:4px;margin:2px 0;white-space:pre-wrap}
        #filter{padding:5px 8px;width:280px;border:1px solid #c5cad3;border-radius:4px}
        """;

    private const string Script = """
        const ops=[...document.querySelectorAll('details.operation')];
        const count=document.getElementById('count');
        const show=()=>{const q=document.getElementById('filter').value.toLowerCase();let n=0;
          for(const op of ops){const hit=op.textContent.toLowerCase().includes(q);op.hidden=!hit;if(hit)n++;}
          count.textContent=n+' of '+ops.length+' operations';};
        document.getElementById('filter').addEventListener('input',show);show();
        """;

    /// <summary>The page for <paramref name="documents"/> (each with the path it is served at) and <paramref name="diagram"/>.</summary>
    public static string Render(IReadOnlyList<(string Url, JsonObject Document)> documents, RouteDiagram diagram)
    {
        var html = new StringBuilder("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Gateway API documentation</title><style>")
            .Append(Style).Append("</style></head><body><header><h1>Gateway API documentation</h1><p>Generated from the running configuration, version ")
            .Append(Encode(documents.Count > 0 ? documents[0].Document["info"]?["version"]?.ToString() ?? "" : "")).Append(". Documents: ")
            .AppendJoin(", ", documents.Select(d => $"<code>{Encode(d.Url)}</code>"))
            .Append("</p></header><main><p><input id=\"filter\" type=\"search\" placeholder=\"Filter operations\" aria-label=\"Filter operations\"> <span id=\"count\"></span></p>")
            .Append("<section id=\"diagram\"><h2>Frontends, routes, steps, clusters and destinations</h2><div class=\"diagram-box\">")
            .Append(DiagramSvg.Render(diagram)).Append("</div></section>");
        foreach (var (url, document) in documents)
        {
            AppendDocument(html, url, document);
        }

        return html.Append("</main><script>").Append(Script).Append("</script></body></html>").ToString();
    }

    private static void AppendDocument(StringBuilder html, string url, JsonObject document)
    {
        html.Append("<section class=\"document\"><h2>").Append(Encode(document["info"]?["title"]?.ToString() ?? url)).Append(" <small><code>")
            .Append(Encode(url)).Append("</code></small></h2><p>").Append(Encode(document["info"]?["description"]?.ToString() ?? "")).Append("</p>");
        var operations = (document["paths"] as JsonObject ?? [])
            .SelectMany(path => UpstreamDocument.Methods.Where(m => path.Value?[m] is JsonObject).Select(m => (Path: path.Key, Method: m, Operation: path.Value![m]!.AsObject())))
            .GroupBy(op => op.Operation["tags"]?[0]?.ToString() ?? "operations");
        foreach (var group in operations)
        {
            html.Append("<h3>").Append(Encode(group.Key)).Append("</h3>");
            foreach (var (path, method, operation) in group)
            {
                AppendOperation(html, path, method, operation);
            }
        }

        if (document["components"]?["securitySchemes"] is JsonObject schemes)
        {
            html.Append("<h3>Security schemes</h3><table><tr><th>name</th><th>scheme</th><th>description</th></tr>");
            foreach (var (name, scheme) in schemes)
            {
                var kind = scheme?["type"]?.ToString() == "apiKey" ? $"API key in {scheme["in"]} \"{scheme["name"]}\"" : $"{scheme?["scheme"]} ({scheme?["bearerFormat"]})";
                html.Append("<tr><td><code>").Append(Encode(name)).Append("</code></td><td>").Append(Encode(kind)).Append("</td><td>")
                    .Append(Encode(scheme?["description"]?.ToString() ?? "")).Append("</td></tr>");
            }

            html.Append("</table>");
        }

        html.Append("</section>");
    }

    private static void AppendOperation(StringBuilder html, string path, string method, JsonObject operation)
    {
        var security = (operation["security"] as JsonArray ?? []).SelectMany(requirement => requirement!.AsObject().Select(s => s.Key)).ToList();
        html.Append("<details class=\"operation\" id=\"").Append(Encode(operation["operationId"]?.ToString() ?? "")).Append("\"><summary><span class=\"method ")
            .Append(method).Append("\">").Append(method).Append("</span><span class=\"path\">").Append(Encode(path)).Append("</span><span class=\"summary\">")
            .Append(Encode(operation["summary"]?.ToString() ?? "")).Append("</span>");
        if (security.Count > 0)
        {
            html.Append("<span class=\"lock\">").Append(Encode("🔒 " + string.Join(" or ", security))).Append("</span>");
        }

        html.Append("</summary><div class=\"body\"><p>").Append(Encode(operation["description"]?.ToString() ?? "")).Append("</p>");
        if (operation["parameters"] is JsonArray { Count: > 0 } parameters)
        {
            html.Append("<table><tr><th>parameter</th><th>in</th><th>required</th><th>schema</th><th>description</th></tr>");
            foreach (var parameter in parameters)
            {
                html.Append("<tr><td><code>").Append(Encode(parameter?["name"]?.ToString() ?? parameter?["$ref"]?.ToString() ?? "")).Append("</code></td><td>")
                    .Append(Encode(parameter?["in"]?.ToString() ?? "")).Append("</td><td>").Append(parameter?["required"]?.ToString() == "true" ? "yes" : "no").Append("</td><td><code>")
                    .Append(Encode(Compact(parameter?["schema"]))).Append("</code></td><td>").Append(Encode(parameter?["description"]?.ToString() ?? "")).Append("</td></tr>");
            }

            html.Append("</table>");
        }

        if (operation["requestBody"] is { } body)
        {
            html.Append("<p><b>Request body</b></p><pre>").Append(Encode(Compact(body))).Append("</pre>");
        }

        html.Append("<table><tr><th>response</th><th>description</th><th>content</th></tr>");
        foreach (var (status, response) in operation["responses"] as JsonObject ?? [])
        {
            html.Append("<tr><td>").Append(Encode(status)).Append("</td><td>").Append(Encode(response?["description"]?.ToString() ?? "")).Append("</td><td><code>")
                .Append(Encode(Compact(response?["content"]))).Append("</code></td></tr>");
        }

        html.Append("</table>");
        foreach (var (name, value) in operation.Where(member => member.Key.StartsWith("x-", StringComparison.Ordinal)))
        {
            html.Append("<p><b>").Append(Encode(name)).Append("</b></p><pre>").Append(Encode(Compact(value))).Append("</pre>");
        }

        html.Append("</div></details>");
    }

    /// <summary><paramref name="node"/> as short JSON text (a string as it is), or empty.</summary>
    private static string Compact(JsonNode? node) => node switch
    {
        null => "",
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        _ => node.ToJsonString(CompactJson),
    };

    private static string Encode(string text) => HtmlEncoder.Default.Encode(text);
}
