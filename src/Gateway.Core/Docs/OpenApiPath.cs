using Gateway.Core.Routing;

namespace Gateway.Core.Docs;

/// <summary>A route's path template in OpenAPI's form: <c>/users/{id}</c> stays, the catch-all <c>/files/{*rest}</c> is <c>/files/{rest}</c>.</summary>
internal static class OpenApiPath
{
    /// <summary>The segments of the validated <paramref name="template"/>; none for "/" (or a template that does not parse).</summary>
    public static IReadOnlyList<TemplateSegment> Segments(string template) =>
        RouteTemplate.TryParse(template, out var parsed, out _) ? parsed.Segments : [];

    /// <summary>The OpenAPI path of <paramref name="template"/>.</summary>
    public static string Of(string template) =>
        "/" + string.Join('/', Segments(template).Select(segment => segment.Kind == SegmentKind.Literal ? segment.Text : "{" + segment.Text + "}"));
}
