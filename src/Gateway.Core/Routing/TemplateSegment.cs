using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Gateway.Core.Routing;

/// <summary>One '/'-separated piece of a path template: a literal, a <c>{name}</c> parameter or a <c>{*name}</c> catch-all.</summary>
/// <param name="Kind">What the segment matches.</param>
/// <param name="Text">The literal text as written, or the parameter name.</param>
internal readonly record struct TemplateSegment(SegmentKind Kind, string Text)
{
    /// <summary>Classifies one segment (without its slashes); an empty segment is an empty literal.</summary>
    public static bool TryParse(string segment, out TemplateSegment result, [NotNullWhen(false)] out string? error)
    {
        result = default;
        if (segment.Length >= 2 && segment[0] == '{' && segment[^1] == '}')
        {
            var isCatchAll = segment[1] == '*';
            var name = segment[(isCatchAll ? 2 : 1)..^1];
            if (!IsParameterName(name))
            {
                error = $"\"{segment}\" needs a parameter name made of letters, digits, '_' or '-'";
                return false;
            }

            result = new TemplateSegment(isCatchAll ? SegmentKind.CatchAll : SegmentKind.Parameter, name);
            error = null;
            return true;
        }

        foreach (var c in segment)
        {
            if (c is '{' or '}')
            {
                error = $"\"{segment}\": a parameter must be a whole segment, such as \"{{id}}\"";
                return false;
            }

            if (c is < '!' or > '~' or '?' or '#')
            {
                error = $"\"{segment}\": {Describe(c)} is not allowed in a path";
                return false;
            }
        }

        result = new TemplateSegment(SegmentKind.Literal, segment);
        error = null;
        return true;
    }

    private static bool IsParameterName(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    private static string Describe(char c) => c is >= '!' and <= '~'
        ? $"'{c}'"
        : "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture);
}
