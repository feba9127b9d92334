using System.Diagnostics.CodeAnalysis;

namespace Gateway.Core.Routing;

/// <summary>A validated route path template such as <c>/users/{id}/files/{*rest}</c>.</summary>
internal sealed class RouteTemplate
{
    /// <summary>The most parameters (catch-all included) one template may have.</summary>
    public const int MaxParameters = 16;

    private RouteTemplate(IReadOnlyList<TemplateSegment> segments, IReadOnlyList<string> parameterNames)
    {
        Segments = segments;
        ParameterNames = parameterNames;
    }

    /// <summary>The segments after the leading '/'; none for the root template "/".</summary>
    public IReadOnlyList<TemplateSegment> Segments { get; }

    /// <summary>The parameter names in template order.</summary>
    public IReadOnlyList<string> ParameterNames { get; }

    /// <summary>Parses <paramref name="path"/>, or says what is wrong with it.</summary>
    public static bool TryParse(string path, [NotNullWhen(true)] out RouteTemplate? template, [NotNullWhen(false)] out string? error)
    {
        template = null;
        error = Validate(path, out var segments, out var names);
        if (error is not null)
        {
            error = $"path \"{path}\": {error}";
            return false;
        }

        template = new RouteTemplate(segments, names);
        return true;
    }

    private static string? Validate(string path, out List<TemplateSegment> segments, out List<string> names)
    {
        segments = [];
        names = [];
        if (string.IsNullOrEmpty(path) || path[0] != '/')
        {
            return "must start with '/'";
        }

        if (path == "/")
        {
            return null;
        }

        if (path[^1] == '/')
        {
            return "must not end with '/' (a trailing slash on a request is tolerated anyway)";
        }

        var parts = path[1..].Split('/');
        foreach (var part in parts)
        {
            if (part.Length == 0)
            {
                return "has an empty segment";
            }

            if (!TemplateSegment.TryParse(part, out var segment, out var error))
            {
                return error;
            }

            if (segment.Kind == SegmentKind.CatchAll && segments.Count != parts.Length - 1)
            {
                return $"the catch-all \"{part}\" must be the last segment";
            }

            if (segment.Kind != SegmentKind.Literal)
            {
                if (names.Contains(segment.Text))
                {
                    return $"parameter \"{segment.Text}\" appears twice";
                }

                names.Add(segment.Text);
            }

            segments.Add(segment);
        }

        return names.Count > MaxParameters ? $"has more than {MaxParameters} parameters" : null;
    }
}
