using Gateway.Core.Configuration;
using Gateway.Core.Routing;

namespace Gateway.Core.Docs;

/// <summary>
/// Maps the paths of a cluster's own OpenAPI document onto the public paths of a route that forwards to it: the route's
/// template, rewritten as the route rewrites requests (<c>stripPrefix</c> or <c>path</c>), is matched segment by segment
/// against the upstream path, and the public path is the route's template filled with what each parameter matched.
/// </summary>
internal sealed class UpstreamPathMapping
{
    private readonly IReadOnlyList<TemplateSegment> _route;
    private readonly IReadOnlyList<TemplateSegment> _forwarded;

    private UpstreamPathMapping(IReadOnlyList<TemplateSegment> route, IReadOnlyList<TemplateSegment> forwarded)
    {
        _route = route;
        _forwarded = forwarded;
    }

    /// <summary>The mapping of <paramref name="route"/>: what its template becomes upstream.</summary>
    public static UpstreamPathMapping For(RouteConfig route)
    {
        var segments = OpenApiPath.Segments(route.Match.Path);
        var forwarded = route.Rewrite switch
        {
            { Path: { } path } => Parse(path),
            { StripPrefix: { } prefix } when Parse(prefix) is var strip && strip.Count <= segments.Count
                && strip.Select((segment, i) => segments[i].Kind == SegmentKind.Literal && segments[i].Text.Equals(segment.Text, StringComparison.OrdinalIgnoreCase)).All(same => same)
                => segments.Skip(strip.Count).ToList(),
            _ => segments,
        };
        return new UpstreamPathMapping(segments, forwarded);
    }

    /// <summary>
    /// The path an upstream document's <paramref name="path"/> is requested at on a destination, relative to its
    /// <paramref name="basePath"/>: the document's server path (<paramref name="serverPath"/>) comes first, and a path that
    /// starts with the destination's base path is taken as written from the host's root.
    /// </summary>
    public static string Forwarded(string path, string serverPath, string basePath)
    {
        var full = serverPath.TrimEnd('/') + path;
        return basePath.Length > 1 && (full.Equals(basePath, StringComparison.OrdinalIgnoreCase) || full.StartsWith(basePath + "/", StringComparison.OrdinalIgnoreCase))
            ? (full.Length == basePath.Length ? "/" : full[basePath.Length..])
            : full;
    }

    /// <summary>
    /// The public path at which the route serves the upstream <paramref name="upstreamPath"/> (relative to the destination's
    /// base path), and what becomes of each upstream path parameter: its public name, or null when the route fixes its value.
    /// False when the route never forwards to that path.
    /// </summary>
    public bool TryMap(string upstreamPath, out string publicPath, out IReadOnlyDictionary<string, string?> parameters)
    {
        publicPath = "";
        var renamed = new Dictionary<string, string?>(StringComparer.Ordinal);
        parameters = renamed;
        var upstream = upstreamPath.Trim('/') is { Length: > 0 } trimmed ? trimmed.Split('/') : [];
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < _forwarded.Count; i++)
        {
            var segment = _forwarded[i];
            if (segment.Kind == SegmentKind.CatchAll)
            {
                values[segment.Text] = string.Join('/', upstream.Skip(i));
                publicPath = Fill(values);
                return true;
            }

            if (i >= upstream.Length)
            {
                return false;
            }

            var parameter = ParameterName(upstream[i]);
            if (segment.Kind == SegmentKind.Parameter)
            {
                values[segment.Text] = parameter is null ? upstream[i] : "{" + segment.Text + "}";
                if (parameter is not null)
                {
                    renamed[parameter] = segment.Text;
                }
            }
            else if (parameter is not null)
            {
                renamed[parameter] = null;
            }
            else if (!segment.Text.Equals(upstream[i], StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        publicPath = Fill(values);
        return upstream.Length == _forwarded.Count;
    }

    /// <summary>The name of a <c>{name}</c> segment, or null for a literal one.</summary>
    private static string? ParameterName(string segment) =>
        segment.Length > 2 && segment[0] == '{' && segment[^1] == '}' ? segment[1..^1] : null;

    /// <summary>The route's template with each parameter that matched replaced by what it matched (an empty catch-all drops out).</summary>
    private string Fill(Dictionary<string, string> values) =>
        "/" + string.Join('/', _route
            .Select(segment => segment.Kind == SegmentKind.Literal ? segment.Text : values.GetValueOrDefault(segment.Text, "{" + segment.Text + "}"))
            .Where(text => text.Length > 0));

    /// <summary>The segments of an upstream path template whose references name the route's parameters.</summary>
    private static List<TemplateSegment> Parse(string template) =>
        [.. template.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries).Select(text => TemplateSegment.TryParse(text, out var segment, out _) ? segment : new TemplateSegment(SegmentKind.Literal, text))];
}
